import { STATUS_PHRASES } from '../core/status-phrases';
import type { Envelope } from '../core/envelope/envelope';
import { ENVELOPE_FIELD_TABLE, type EnvelopeField } from '../core/envelope/fields';
import { MAX_FIELD_ERRORS } from '../core/error/field-errors';
import { DEFAULT_FORMATTERS } from '../core/formats/defaults';
import { canFormatItems, type Formatter } from '../core/formats/formatter';
import { htmlPageFormatter } from '../core/formats/html';
import { assertFormatters, formattersByType } from '../core/formats/negotiate';
import { CARRIED_FIELDS, PROBLEM_XML_NAMESPACE } from '../core/formats/problem';
import { type WireShape, wireShapeOf } from '../core/formats/wire-shape';
import { ACTIONS } from '../core/registry/actions';
import type { RegistryView } from '../core/registry/registry';
import { isHelpUrl } from '../core/registry/validate';
import { type Catalog, type CatalogCode, catalogOf, LIBRARY_ADDITION_NOTE } from './catalog-data';

/** A JSON value, as OpenAPI documents hold them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The parts of an OpenAPI 3.1 Components Object this library fills. */
export interface OpenApiComponents {
  schemas: Record<string, JsonObject>;
  examples: Record<string, JsonObject>;
  headers: Record<string, JsonObject>;
  responses: Record<string, JsonObject>;
}

export interface OpenApiOptions {
  /** Starts every component name, so that several registries fit in one document. Default: `EnhancedError`. */
  prefix?: string;
  /** The locale of the examples' messages: one of the registry's. Default: its default locale. */
  locale?: string;
  /** The helpUrl the examples show for a code, e.g. the service's catalog page. */
  helpUrl?: (code: CatalogCode) => string | undefined;
  /** The trace the examples show. */
  exampleTrace?: string;
  /** The request id header the handler echoes. Default: `X-Request-Id`; false leaves it out. */
  requestIdHeader?: string | false;
  /**
   * The handler's `formatters` option: each media type is documented with the
   * body of the formatter that answers it (the spec's JSON and XML, problem
   * details, Vimond's `errors`). Default: the handler's default, JSON and XML.
   */
  formatters?: readonly Formatter[];
  /**
   * The handler's `htmlPage` option: unless false, every error status also
   * declares the HTML page a browser's navigation gets (`text/html`, a
   * string), when no formatter offers text/html. Default: true.
   */
  htmlPage?: boolean;
}

export const EXAMPLE_TRACE = '7b2e8f0c-3d41-4c6a-9a57-0e5b1c9d2f48';

const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;

/** The formatters that write one Content-Type, in the order configured: the first one's examples are shown. */
type ContentFormatters = Map<string, Formatter[]>;

/**
 * OpenAPI 3.1 components for a registry's error responses, as the handler
 * configured with `formatters` sends them: for each media type it answers,
 * the schema of the formatter that writes it (the spec's error object,
 * problem details, Vimond's `errors`), with an example per code and status
 * written by that formatter; one reusable response per status, listing its
 * codes and every header it may carry (Retry-After included: any error may
 * carry its own wait); and, when a formatter writes item responses, the 200
 * response of a partial success. The HTML page the handler shows a browser
 * is declared as `text/html` (a string, without examples) unless `htmlPage`
 * is false. The codes this library adds to a published catalog are marked
 * `x-origin: library`.
 * Reference them from operations as `#/components/responses/<prefix><status>`.
 *
 * @example
 * const formatters = [jsonFormatter, xmlFormatter, problemJsonFormatter];
 * app.use(enhancedErrorHandler({ registry, formatters }));
 * const document = { openapi: '3.1.0', info: { title: 'Video API', version: '1' }, paths: {}, components: openApiComponents(registry, { formatters }) };
 */
export function openApiComponents(registry: RegistryView, options: OpenApiOptions = {}): OpenApiComponents {
  const { prefix = 'EnhancedError', helpUrl, exampleTrace = EXAMPLE_TRACE } = options;
  const requestIdHeader = options.requestIdHeader === undefined ? 'X-Request-Id' : options.requestIdHeader;
  if (typeof prefix !== 'string' || !COMPONENT_NAME.test(prefix)) {
    throw new TypeError(`openApiComponents: prefix must match ${COMPONENT_NAME}, got ${JSON.stringify(prefix)}`);
  }
  if (requestIdHeader !== false && (typeof requestIdHeader !== 'string' || !/^[A-Za-z0-9-]+$/.test(requestIdHeader))) {
    throw new TypeError(`openApiComponents: requestIdHeader must be a header name, got ${JSON.stringify(requestIdHeader)}`);
  }
  const formatters = options.formatters ?? DEFAULT_FORMATTERS;
  try {
    assertFormatters(formatters);
  } catch (problem) {
    throw new TypeError(`openApiComponents: ${(problem as Error).message}`);
  }
  const htmlPage = options.htmlPage === undefined ? true : options.htmlPage;
  if (typeof htmlPage !== 'boolean') throw new TypeError(`openApiComponents: htmlPage must be a boolean, got ${JSON.stringify(htmlPage)}`);
  const catalog = catalogOf(registry, options.locale);
  if (options.locale !== undefined && catalog.locale !== options.locale) {
    throw new TypeError(`openApiComponents: ${registry.name} has no messages in ${JSON.stringify(options.locale)}`);
  }
  const errorContent = byContentType(formatters);
  const htmlContent = htmlPage ? htmlPageContent(formatters) : undefined;
  const itemContent = byContentType(formatters.filter(canFormatItems));
  const shapes = [...errorContent.values(), ...itemContent.values()].flat().map(wireShapeOf);
  const names = componentNames(prefix);
  const schemas = shapeSchemas(names, registry, catalog, shapes);

  const headerRef = (name: string) => ({ $ref: `#/components/headers/${prefix}.${name}` });
  const headers: Record<string, JsonObject> = {
    [`${prefix}.Content-Language`]: {
      description: 'The language of `message` when it is a registry message.',
      schema: { type: 'string', enum: [...catalog.locales] },
    },
    [`${prefix}.Retry-After`]: {
      description:
        'Seconds to wait before retrying (delay-seconds). Sent with every `retry-after` code, and with any other error that carries a wait of its own.',
      schema: { type: 'integer', minimum: 0 },
    },
  };
  const commonHeaders: Record<string, JsonObject> = {};
  if (requestIdHeader !== false) {
    headers[`${prefix}.${requestIdHeader}`] = {
      description: "The caller's request id when it is safe to echo, else a generated one; the same in the server's logs.",
      schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' },
    };
    commonHeaders[requestIdHeader] = headerRef(requestIdHeader);
  }
  commonHeaders['Retry-After'] = headerRef('Retry-After');

  const examples: Record<string, JsonObject> = {};
  const byStatus = new Map<number, CatalogCode[]>();
  for (const entry of catalog.codes) {
    for (const status of entry.statuses) {
      const url = helpUrl?.(entry);
      const envelope: Envelope = {
        action: entry.action,
        status,
        code: entry.code,
        message: entry.message,
        helpUrl: isHelpUrl(url) ? url : entry.helpUrl,
        trace: exampleTrace,
      };
      const summary = `${entry.code} (${status})`;
      for (const [mediaType, [formatter]] of errorContent) {
        const body = (formatter as Formatter).formatError(envelope);
        examples[exampleName(prefix, entry.code, status, mediaKind(mediaType))] = { summary, value: exampleValue(mediaType, body) };
      }
      const sameStatus = byStatus.get(status);
      if (sameStatus === undefined) byStatus.set(status, [entry]);
      else sameStatus.push(entry);
    }
  }

  const responses: Record<string, JsonObject> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const entries = byStatus.get(status) ?? [];
    const codes = entries.map((entry) => entry.code);
    const content: Record<string, JsonObject> = {};
    for (const [mediaType, sameType] of errorContent) {
      const refs: Record<string, JsonObject> = {};
      for (const code of codes) refs[code] = { $ref: `#/components/examples/${exampleName(prefix, code, status, mediaKind(mediaType))}` };
      const schema = contentSchema(sameType, (shape) => statusSchema(names, shape, status, codes));
      content[mediaType] = schema === undefined ? { examples: refs } : { schema, examples: refs };
    }
    if (htmlContent !== undefined) Object.assign(content, htmlContent);
    responses[`${prefix}${status}`] = {
      description: `${STATUS_PHRASES[status] ?? `Status ${status}`}: ${entries.map(codeLabel).join(', ')}`,
      headers: { 'Content-Language': headerRef('Content-Language'), ...commonHeaders },
      content,
    };
  }

  if (itemContent.size > 0) responses[`${prefix}Items`] = itemsResponse(names, itemContent, catalog, commonHeaders);
  return { schemas, examples, headers, responses };
}

/** The 200 of a partial success, as the formatters that write items send it. */
function itemsResponse(
  names: ComponentNames,
  itemContent: ContentFormatters,
  catalog: Catalog,
  commonHeaders: Record<string, JsonObject>,
): JsonObject {
  const content: Record<string, JsonObject> = {};
  for (const [mediaType, sameType] of itemContent) {
    const schema = contentSchema(sameType, (shape) => itemsSchema(names, shape));
    content[mediaType] = schema === undefined ? {} : { schema };
  }
  return {
    description:
      "OK, a partial success: the collection's failed items each carry an `error` object. The collection's name and the items' own fields are the route's.",
    headers: {
      'Content-Language': {
        description: "The languages of the item errors' messages, when they are registry messages.",
        schema: { type: 'string', pattern: languageListPattern(catalog.locales) },
      },
      ...commonHeaders,
    },
    content,
  };
}

/**
 * The page the handler offers a browser besides the formatters, as the
 * negotiation offers it: only for a media type no formatter offers. Without
 * examples: one page per code and status would double the document.
 */
function htmlPageContent(formatters: readonly Formatter[]): Record<string, JsonObject> | undefined {
  const offered = formattersByType(formatters);
  const types = htmlPageFormatter.mediaTypes.filter((type) => !offered.has(type));
  if (types.length === 0) return undefined;
  return {
    [mediaTypeOf(htmlPageFormatter.contentType)]: {
      schema: {
        type: 'string',
        description:
          "A small HTML page for a browser's navigation (Accept naming text/html first): the message, details, code, status, action, trace and a link to helpUrl, each in an element marked data-field.",
      },
    },
  };
}

/** The example component of one code at one status in one format. */
export function exampleName(prefix: string, code: string, status: number, format: string): string {
  return `${prefix}.${code}.${status}.${format}`;
}

/**
 * The media type of each Content-Type sent, with the formatters that send it.
 * Only formatters the negotiation can choose count: one whose every media
 * type an earlier one offers never answers.
 */
function byContentType(formatters: readonly Formatter[]): ContentFormatters {
  const content: ContentFormatters = new Map();
  for (const formatter of new Set(formattersByType(formatters).values())) {
    const mediaType = mediaTypeOf(formatter.contentType);
    const sameType = content.get(mediaType);
    if (sameType === undefined) content.set(mediaType, [formatter]);
    else sameType.push(formatter);
  }
  return content;
}

function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? contentType).trim().toLowerCase();
}

/** How example names tell the formats apart: `json`, `xml`, `problem-json`; a type other than application/ is kept. */
function mediaKind(mediaType: string): string {
  const [type, subtype = ''] = mediaType.split('/');
  return (type === 'application' ? subtype : `${type}-${subtype}`).replace(/\+/g, '-');
}

function isJsonMediaType(mediaType: string): boolean {
  return /^[^/]+\/(?:[^/]+\+)?json$/.test(mediaType);
}

/** A JSON body as the value it is; any other as its text. */
function exampleValue(mediaType: string, body: string): JsonValue {
  if (!isJsonMediaType(mediaType)) return body;
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    return body;
  }
}

function codeLabel(entry: CatalogCode): string {
  return entry.origin === 'library' ? `${entry.code} (library)` : entry.code;
}

/** `^(?:en|fr)(?:, (?:en|fr))*$`: Content-Language as sendItems writes it, one or more of the registry's locales. */
function languageListPattern(locales: readonly string[]): string {
  const one = `(?:${locales.map((locale) => locale.replace(/[^A-Za-z0-9]/g, '\\$&')).join('|')})`;
  return `^${one}(?:, ${one})*$`;
}

interface ComponentNames {
  readonly action: string;
  readonly code: string;
  readonly pass: string;
  readonly passWithFieldErrors: string;
  readonly fieldError: string;
  readonly problem: string;
  readonly problemFieldError: string;
  readonly vimond: string;
  readonly vimondError: string;
}

function componentNames(prefix: string): ComponentNames {
  return {
    action: `${prefix}Action`,
    code: `${prefix}Code`,
    pass: prefix,
    passWithFieldErrors: `${prefix}WithFieldErrors`,
    fieldError: `${prefix}FieldError`,
    problem: `${prefix}Problem`,
    problemFieldError: `${prefix}ProblemFieldError`,
    vimond: `${prefix}Vimond`,
    vimondError: `${prefix}VimondError`,
  };
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The schema component of the error a shape writes. */
function errorSchemaName(names: ComponentNames, shape: WireShape): string {
  if (shape.kind === 'problem') return names.problem;
  if (shape.kind === 'vimond') return names.vimond;
  return shape.fieldErrors ? names.passWithFieldErrors : names.pass;
}

/**
 * The schema of a media type: the one shape of its formatters, or any of
 * theirs; none when a formatter is not one of this library's, whose body is
 * not known.
 */
function contentSchema(formatters: readonly Formatter[], schemaOf: (shape: WireShape) => JsonObject): JsonObject | undefined {
  const distinct = new Map<string, JsonObject>();
  for (const formatter of formatters) {
    const shape = wireShapeOf(formatter);
    if (shape === undefined) return undefined;
    const schema = schemaOf(shape);
    distinct.set(JSON.stringify(schema), schema);
  }
  const schemas = [...distinct.values()];
  return schemas.length === 1 ? (schemas[0] as JsonObject) : { anyOf: schemas };
}

/** The error at one status: the shape's schema with `status` and `code` narrowed where the body carries them. */
function statusSchema(names: ComponentNames, shape: WireShape, status: number, codes: readonly string[]): JsonObject {
  const ref = schemaRef(errorSchemaName(names, shape));
  // Vimond's body has no status, and an aggregate's entries may come from errors of other statuses.
  if (shape.kind === 'vimond') return ref;
  return { allOf: [ref, { type: 'object', properties: { status: { const: status }, code: { enum: [...codes] } } }] };
}

/** An item response: one collection, each failed item with its `error` written as the shape writes errors. */
function itemsSchema(names: ComponentNames, shape: WireShape): JsonObject {
  return {
    type: 'object',
    description: 'The collection: one list under the name the route chose. The XML form is that element, with one <item> per item.',
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: {
      type: 'array',
      items: {
        type: 'object',
        xml: { name: 'item' },
        description: "An item's own fields, then `error` when it failed.",
        properties: { error: schemaRef(errorSchemaName(names, shape)) },
      },
    },
  };
}

/** The schema components of the shapes written; the code and action ones when a shape carries them. */
function shapeSchemas(
  names: ComponentNames,
  registry: RegistryView,
  catalog: Catalog,
  shapes: readonly (WireShape | undefined)[],
): Record<string, JsonObject> {
  const schemas: Record<string, JsonObject> = {};
  for (const shape of shapes) {
    if (shape === undefined) continue;
    if (shape.kind === 'vimond') {
      Object.assign(schemas, vimondSchemas(names, registry, catalog, shape));
      continue;
    }
    schemas[names.action] = { type: 'string', enum: [...ACTIONS], description: 'What the client should do next.' };
    schemas[names.code] = codeSchema(registry, catalog);
    Object.assign(schemas, shape.kind === 'problem' ? problemSchemas(names, registry) : passSchemas(names, registry, shape.fieldErrors));
  }
  return schemas;
}

/** Every code, each with its message; this library's additions marked `x-origin: library`. */
function codeSchema(registry: RegistryView, catalog: Catalog): JsonObject {
  return {
    type: 'string',
    description: `A code of ${registry.name}. A code marked \`x-origin: library\` is this library's addition, not a code of the published catalog.`,
    oneOf: catalog.codes.map((entry): JsonObject =>
      entry.origin === 'library'
        ? { const: entry.code, description: `${entry.message} ${LIBRARY_ADDITION_NOTE}`, 'x-origin': 'library' }
        : { const: entry.code, description: entry.message },
    ),
  };
}

/** The spec's fields as schema properties, in the spec's order: the registry's component, else the field's type, keywords and description. */
function envelopeProperties(names: ComponentNames): Record<EnvelopeField, JsonObject> {
  const properties = {} as Record<EnvelopeField, JsonObject>;
  for (const row of ENVELOPE_FIELD_TABLE) {
    properties[row.name] =
      'component' in row
        ? schemaRef(names[row.component])
        : { type: row.type, ...('keywords' in row ? row.keywords : {}), description: row.description };
  }
  return properties;
}

const REQUIRED_ENVELOPE_FIELDS: readonly EnvelopeField[] = ENVELOPE_FIELD_TABLE.filter((row) => row.required).map((row) => row.name);

function passSchemas(names: ComponentNames, registry: RegistryView, fieldErrors: boolean): Record<string, JsonObject> {
  const properties: Record<string, JsonObject> = envelopeProperties(names);
  const schemas: Record<string, JsonObject> = {};
  if (fieldErrors) {
    properties.fields = {
      type: 'array',
      maxItems: MAX_FIELD_ERRORS,
      description:
        "The request fields that failed validation. Not one of the spec's fields: sent because the formatter has fieldErrors on.",
      xml: { name: 'fields', wrapped: true },
      items: schemaRef(names.fieldError),
    };
    properties.omittedFields = {
      type: 'integer',
      minimum: 1,
      description: `Field errors left out beyond the first ${MAX_FIELD_ERRORS}; sent with fields.`,
    };
    schemas[names.fieldError] = fieldErrorSchema('field', 'message', 'RFC 6901 JSON Pointer into the request body, e.g. /items/0/name.');
  }
  schemas[fieldErrors ? names.passWithFieldErrors : names.pass] = {
    type: 'object',
    description: `An error of ${registry.name}. The XML form is an <error> element with one child element per field, in this order.`,
    xml: { name: 'error' },
    required: [...REQUIRED_ENVELOPE_FIELDS],
    additionalProperties: false,
    properties,
  };
  return schemas;
}

/** One invalid field of the request, its members as a format names them. */
function fieldErrorSchema(xmlName: string, messageMember: 'message' | 'detail', pointer: string): JsonObject {
  return {
    type: 'object',
    description: 'One invalid field of the request: where it is and what is wrong. Never the value that was sent.',
    xml: { name: xmlName },
    required: [messageMember],
    additionalProperties: false,
    properties: {
      [messageMember]: { type: 'string', description: 'What is wrong with the field.' },
      pointer: { type: 'string', description: pointer },
      path: { type: 'string', description: 'Where the field is outside the body, e.g. query.limit.' },
      code: { type: 'string', description: 'A machine-readable reason for this field, when known.' },
    },
  };
}

function problemSchemas(names: ComponentNames, registry: RegistryView): Record<string, JsonObject> {
  const envelope = envelopeProperties(names);
  const carried = Object.fromEntries(CARRIED_FIELDS.map((field) => [field, envelope[field]]));
  return {
    [names.problem]: {
      type: 'object',
      description: `An error of ${registry.name} as RFC 9457 problem details. The XML form is a <problem> element in the ${PROBLEM_XML_NAMESPACE} namespace with one child element per member; errors holds one <i> per entry.`,
      xml: { name: 'problem', namespace: PROBLEM_XML_NAMESPACE },
      required: [
        'type',
        'title',
        'status',
        'code',
        'action',
        ...CARRIED_FIELDS.filter((field) => REQUIRED_ENVELOPE_FIELDS.includes(field)),
      ],
      additionalProperties: false,
      properties: {
        type: {
          type: 'string',
          format: 'uri-reference',
          description:
            'Identifies the problem type, one per code: the type base followed by the code, else the help page with the code as fragment, else about:blank.',
        },
        title: {
          type: 'string',
          description: "The message: human-readable; may be shown to end users. For about:blank, the status's reason phrase.",
        },
        status: envelope.status,
        detail: { type: 'string', description: 'More about this occurrence.' },
        code: schemaRef(names.code),
        action: schemaRef(names.action),
        message: { type: 'string', description: 'The message, when type is about:blank (its title is then the reason phrase).' },
        ...carried,
        errors: {
          type: 'array',
          maxItems: MAX_FIELD_ERRORS,
          description: 'The request fields that failed validation (RFC 9457 §3).',
          xml: { name: 'errors', wrapped: true },
          items: schemaRef(names.problemFieldError),
        },
        omittedErrors: { type: 'integer', minimum: 1, description: `Field errors left out beyond the first ${MAX_FIELD_ERRORS}.` },
      },
    },
    [names.problemFieldError]: fieldErrorSchema(
      'i',
      'detail',
      'RFC 6901 JSON Pointer into the request body as a URI fragment, e.g. #/items/0/name.',
    ),
  };
}

/** Vimond's `errors`: each entry one of the (title, code) pairs the formatter sends for the registry's codes. */
function vimondSchemas(
  names: ComponentNames,
  registry: RegistryView,
  catalog: Catalog,
  shape: Extract<WireShape, { kind: 'vimond' }>,
): Record<string, JsonObject> {
  const pairs = new Map<string, { title: string; vimondCode: string; codes: string[] }>();
  for (const { code } of catalog.codes) {
    const { title, vimondCode } = shape.identities.get(code) ?? shape.unknown;
    const key = `${vimondCode} ${title}`;
    const pair = pairs.get(key);
    if (pair === undefined) pairs.set(key, { title, vimondCode, codes: [code] });
    else pair.codes.push(code);
  }
  return {
    [names.vimond]: {
      type: 'object',
      description: `An error of ${registry.name} in Vimond's format: one entry per error, and per invalid field of a validation failure. A code without a row in the Vimond catalog is sent as UNKNOWN, code ${shape.unknown.vimondCode}.`,
      required: ['errors'],
      additionalProperties: false,
      properties: { errors: { type: 'array', minItems: 1, items: schemaRef(names.vimondError) } },
    },
    [names.vimondError]: {
      type: 'object',
      required: ['title', 'detail', 'code'],
      additionalProperties: false,
      properties: {
        title: { type: 'string', description: "Vimond's name of the error." },
        detail: { type: 'string', description: "The message; for an invalid field, the field's name and what is wrong." },
        code: { type: 'string', pattern: '^\\d+$', description: "Vimond's numeric code." },
      },
      anyOf: [...pairs.values()].map(({ title, vimondCode, codes }) => ({
        description: codes.join(', '),
        properties: { title: { const: title }, code: { const: vimondCode } },
      })),
    },
  };
}
