import { MAX_FIELD_ERRORS } from '../error/field-errors';
import { STATUS_CODES } from 'node:http';
import type { Envelope } from '../envelope/envelope';
import { jsonFormatter } from '../formats/json';
import { xmlFormatter } from '../formats/xml';
import { ACTIONS } from '../registry/actions';
import type { RegistryView } from '../registry/registry';
import { isHelpUrl } from '../registry/validate';
import { type CatalogCode, catalogOf } from './catalog-data';

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
}

export const EXAMPLE_TRACE = '7b2e8f0c-3d41-4c6a-9a57-0e5b1c9d2f48';

const MEDIA_TYPES = { json: 'application/json', xml: 'application/xml' } as const;

const COMPONENT_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * OpenAPI 3.1 components for a registry's error responses: the envelope
 * schema (action and code as enums, also describing the XML form), a JSON and
 * an XML example per code and status, written by the handler's own
 * formatters, and one reusable response per status, listing its codes.
 * Reference them from operations as `#/components/responses/<prefix><status>`.
 *
 * @example
 * const document = { openapi: '3.1.0', info: { title: 'Video API', version: '1' }, paths: {}, components: openApiComponents(registry) };
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
  const catalog = catalogOf(registry, options.locale);
  if (options.locale !== undefined && catalog.locale !== options.locale) {
    throw new TypeError(`openApiComponents: ${registry.name} has no messages in ${JSON.stringify(options.locale)}`);
  }
  const schemaRef = { $ref: `#/components/schemas/${prefix}` };
  const headerRef = (name: string) => ({ $ref: `#/components/headers/${prefix}.${name}` });

  const headers: Record<string, JsonObject> = {
    [`${prefix}.Content-Language`]: {
      description: 'The language of `message` when it is a registry message.',
      schema: { type: 'string', enum: [...catalog.locales] },
    },
    [`${prefix}.Retry-After`]: {
      description: 'For `retry-after` errors: seconds to wait, or an HTTP-date.',
      schema: { type: 'string', pattern: '^(?:\\d+|[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT)$' },
    },
  };
  if (requestIdHeader !== false) {
    headers[`${prefix}.${requestIdHeader}`] = {
      description: "The caller's request id when it is safe to echo, else a generated one; the same in the server's logs.",
      schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' },
    };
  }

  const schemas: Record<string, JsonObject> = {
    [prefix]: {
      type: 'object',
      description: `An error of ${registry.name}. The XML form is an <error> element with one child element per field, in this order.`,
      xml: { name: 'error' },
      required: ['action', 'status', 'code', 'message', 'trace'],
      properties: {
        action: { type: 'string', enum: [...ACTIONS], description: 'What the client should do next.' },
        status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status of the error.' },
        code: { type: 'string', enum: [...registry.codes], description: 'The error code.' },
        message: { type: 'string', description: 'Human-readable; may be shown to end users.' },
        details: { type: 'string', description: 'More about this occurrence.' },
        helpUrl: { type: 'string', format: 'uri', description: 'Where to read about the code.' },
        trace: { type: 'string', description: 'Unique per response; quote it when reporting a problem.' },
        fields: {
          type: 'array',
          maxItems: MAX_FIELD_ERRORS,
          description:
            "The request fields that failed validation. Not one of the spec's fields: sent only when the service opts in (createJsonFormatter / createXmlFormatter with fieldErrors).",
          xml: { name: 'fields', wrapped: true },
          items: { $ref: `#/components/schemas/${prefix}FieldError` },
        },
        omittedFields: {
          type: 'integer',
          minimum: 1,
          description: `Field errors left out beyond the first ${MAX_FIELD_ERRORS}; sent with fields.`,
        },
      },
    },
    [`${prefix}FieldError`]: {
      type: 'object',
      description: 'One invalid field of the request: where it is and what is wrong. Never the value that was sent.',
      xml: { name: 'field' },
      required: ['message'],
      properties: {
        pointer: { type: 'string', description: 'RFC 6901 JSON Pointer into the request body, e.g. /items/0/name.' },
        path: { type: 'string', description: 'Where the field is outside the body, e.g. query.limit.' },
        message: { type: 'string', description: 'What is wrong with the field.' },
        code: { type: 'string', description: 'A machine-readable reason for this field, when known.' },
      },
    },
  };

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
      examples[exampleName(prefix, entry.code, status, 'json')] = { summary, value: JSON.parse(jsonFormatter.formatError(envelope)) };
      examples[exampleName(prefix, entry.code, status, 'xml')] = { summary, value: xmlFormatter.formatError(envelope) };
      const sameStatus = byStatus.get(status);
      if (sameStatus === undefined) byStatus.set(status, [entry]);
      else sameStatus.push(entry);
    }
  }

  const responses: Record<string, JsonObject> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const entries = byStatus.get(status) ?? [];
    const schema = {
      allOf: [schemaRef, { type: 'object', properties: { status: { const: status }, code: { enum: entries.map((entry) => entry.code) } } }],
    };
    const content: Record<string, JsonObject> = {};
    for (const [kind, mediaType] of Object.entries(MEDIA_TYPES)) {
      const refs: Record<string, JsonObject> = {};
      for (const entry of entries) refs[entry.code] = { $ref: `#/components/examples/${exampleName(prefix, entry.code, status, kind)}` };
      content[mediaType] = { schema, examples: refs };
    }
    const responseHeaders: Record<string, JsonObject> = { 'Content-Language': headerRef('Content-Language') };
    if (requestIdHeader !== false) responseHeaders[requestIdHeader] = headerRef(requestIdHeader);
    if (entries.some((entry) => entry.action === 'retry-after')) responseHeaders['Retry-After'] = headerRef('Retry-After');
    responses[`${prefix}${status}`] = {
      description: `${STATUS_CODES[status] ?? `Status ${status}`}: ${entries.map((entry) => entry.code).join(', ')}`,
      headers: responseHeaders,
      content,
    };
  }
  return { schemas, examples, headers, responses };
}

/** The example component of one code at one status in one format. */
export function exampleName(prefix: string, code: string, status: number, format: string): string {
  return `${prefix}.${code}.${status}.${format}`;
}
