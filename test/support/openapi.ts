import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020, { type Options, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiComponents } from '../../src/docs';

/** A whole OpenAPI 3.1 document whose one operation answers every status of the registries' responses (and their item response). */
export function documentWith(components: OpenApiComponents, ...prefixes: string[]) {
  const responses: Record<string, unknown> = { '200': { description: 'The video.' } };
  for (const prefix of prefixes) {
    for (const name of Object.keys(components.responses)) {
      const suffix = name.slice(prefix.length);
      if (!name.startsWith(prefix)) continue;
      if (/^\d{3}$/.test(suffix)) responses[suffix] = responses[suffix] ?? { $ref: `#/components/responses/${name}` };
      if (suffix === 'Items') responses['200'] = { $ref: `#/components/responses/${name}` };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Videos', version: '1.0.0' },
    paths: { '/videos/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses } } },
    components,
  };
}

export interface DereferencedHeader {
  schema: { type?: string } & object;
  required?: boolean;
}

export interface DereferencedResponse {
  description: string;
  headers: Record<string, DereferencedHeader>;
  content: Record<string, { schema?: object; examples?: Record<string, { value: unknown }> }>;
}

export type Dereferenced = { components: { responses: Record<string, DereferencedResponse> } };

/** The document with every $ref replaced, after the validator accepted it (validating dereferences it: once, not twice). */
export async function validated(document: object): Promise<Dereferenced> {
  return (await SwaggerParser.validate(structuredClone(document) as never)) as unknown as Dereferenced;
}

/** Ajv for draft 2020-12, OpenAPI 3.1's dialect, strict, with formats checked; `xml` and `x-origin` are OpenAPI's own. */
export function newAjv(options: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, ...options });
  addFormats(ajv);
  ajv.addKeyword('xml');
  ajv.addKeyword('x-origin');
  return ajv;
}

/** Where schemaValidators puts the component schemas; refs into them point here. */
const COMPONENTS_ID = 'https://openapi.test/components';

/**
 * Compiles the schema of each response and media type, the component
 * schemas once for all of them (a copy per response would compile the
 * code list hundreds of times).
 */
export function schemaValidators(components: OpenApiComponents): (responseName: string, mediaType: string) => ValidateFunction | undefined {
  // Each component compiled once and called by reference, not copied into every response's code.
  const ajv = newAjv({ inlineRefs: false });
  const toShared = <T>(value: T): T =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', `"${COMPONENTS_ID}#/$defs/`)) as T;
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: toShared(components.schemas) });
  const compiled = new Map<string, ValidateFunction | undefined>();
  // By the schema's text: the media types of a response, and many statuses, share one schema (a third as many to compile).
  const bySchema = new Map<string, ValidateFunction>();
  return (responseName, mediaType) => {
    const key = `${responseName} ${mediaType}`;
    if (!compiled.has(key)) {
      const content = components.responses[responseName]?.content as Record<string, { schema?: object }> | undefined;
      const schema = content?.[mediaType]?.schema;
      if (schema === undefined) compiled.set(key, undefined);
      else {
        const text = JSON.stringify(schema);
        const validate = bySchema.get(text) ?? ajv.compile(toShared(schema));
        bySchema.set(text, validate);
        compiled.set(key, validate);
      }
    }
    return compiled.get(key);
  };
}
