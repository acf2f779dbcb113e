import SwaggerParser from '@apidevtools/swagger-parser';
import type { ValidateFunction } from 'ajv/dist/2020';
import { createRegistry, passRegistry, type RegistryView } from '../../src';
import { passCodes, passMessagesFr, passRestV1Registry, vimondRegistry } from '../../src/core/catalogs';
import { openApiComponents, type OpenApiComponents } from '../../src/docs';
import { LIBRARY_ADDITION_NOTE } from '../../src/docs/catalog-data';
import { EXAMPLE_TRACE } from '../../src/docs/openapi';
import {
  createJsonFormatter,
  ENVELOPE_FIELDS,
  type Formatter,
  jsonFormatter,
  problemJsonFormatter,
  vimondFormatter,
  xmlFormatter,
} from '../../src/core/formats';
import { type Dereferenced, documentWith, schemaValidators, validated } from '../support/openapi';
import { fields, parseXml } from '../support/xml';

const helpUrl = (code: string) => `https://api.example.com/errors#${code}`;

const v1 = openApiComponents(passRestV1Registry, { helpUrl: (entry) => helpUrl(entry.code) });
const v1Pairs = [...passRestV1Registry].flatMap((entry) => entry.statuses.map((status) => [entry.code, status] as const));

describe('openApiComponents', () => {
  let document: Dereferenced;
  const validatorOf = schemaValidators(v1);
  const jsonValidator = (name: string) => validatorOf(name, 'application/json') as ValidateFunction;

  beforeAll(async () => {
    document = await validated(documentWith(v1, 'EnhancedError'));
  });

  it('is accepted by an OpenAPI 3.1 validator, which rejects a broken copy', async () => {
    expect(Object.keys(v1.responses).sort()).toEqual(
      [...new Set(v1Pairs.map(([, status]) => `EnhancedError${status}`)), 'EnhancedErrorItems'].sort(),
    );
    const broken = structuredClone(documentWith(v1, 'EnhancedError'));
    delete (broken.components.responses.EnhancedError400 as { description?: string }).description;
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow(/description/);
  });

  it('makes action an enum and code one of the registry codes, each with its message', () => {
    const properties = v1.schemas.EnhancedError?.properties;
    expect(properties).toMatchObject({
      action: { $ref: '#/components/schemas/EnhancedErrorAction' },
      code: { $ref: '#/components/schemas/EnhancedErrorCode' },
    });
    const codes = v1.schemas.EnhancedErrorCode?.oneOf as { const: string; description: string }[];
    expect(codes.map((entry) => entry.const)).toEqual([...passRestV1Registry.codes]);
    expect(codes[0]?.description).toBe(passRestV1Registry.get('invalid_requestor').message);
    expect(v1.schemas.EnhancedErrorAction?.enum).toEqual([
      'none',
      'configuration',
      'application-registration',
      'authentication',
      'authorization',
      'degradation',
      'retry',
      'retry-after',
    ]);
  });

  it.each(v1Pairs)('documents %s at %i with JSON and XML examples the schema accepts', (code, status) => {
    const response = document.components.responses[`EnhancedError${status}`];
    const json = response?.content['application/json']?.examples?.[code]?.value;
    const xml = response?.content['application/xml']?.examples?.[code]?.value;
    const entry = passRestV1Registry.get(code);
    expect(json).toEqual({ action: entry?.action, status, code, message: entry?.message, helpUrl: helpUrl(code), trace: EXAMPLE_TRACE });
    const validate = jsonValidator(`EnhancedError${status}`);
    expect(validate(json)).toBe(true);
    const { root } = parseXml(String(xml));
    expect(root.name).toBe('error');
    expect(fields(root)).toEqual(
      ENVELOPE_FIELDS.filter((field) => field in (json as object)).map((field) => [
        field,
        String((json as Record<string, unknown>)[field]),
      ]),
    );
  });

  it('describes the field errors of the formatters that write them, and refuses them from those that do not', () => {
    const withFields = openApiComponents(passRestV1Registry, { formatters: [createJsonFormatter({ fieldErrors: true }), xmlFormatter] });
    const validateOf = schemaValidators(withFields);
    const validate400 = validateOf('EnhancedError400', 'application/json') as ValidateFunction;
    const xml400 = validateOf('EnhancedError400', 'application/xml') as ValidateFunction;
    expect(Object.keys(withFields.schemas).sort()).toEqual(
      ['EnhancedError', 'EnhancedErrorAction', 'EnhancedErrorCode', 'EnhancedErrorFieldError', 'EnhancedErrorWithFieldErrors'].sort(),
    );
    expect(Object.keys(v1.schemas)).not.toContain('EnhancedErrorWithFieldErrors');
    const sample = { action: 'none', status: 400, code: 'invalid_requestor', message: 'm', trace: 't' };
    expect(
      validate400({
        ...sample,
        fields: [
          { pointer: '/name', message: 'Required', code: 'invalid_type' },
          { path: 'query.limit', message: 'Bad' },
        ],
        omittedFields: 3,
      }),
    ).toBe(true);
    expect(validate400({ ...sample, fields: [{ pointer: '/name' }] })).toBe(false);
    expect(validate400({ ...sample, fields: Array.from({ length: 101 }, () => ({ path: 'q', message: 'm' })) })).toBe(false);
    expect(validate400({ ...sample, omittedFields: 0 })).toBe(false);
    // The XML formatter here, like the defaults, writes the spec's fields only.
    expect(xml400({ ...sample, fields: [{ path: 'q', message: 'm' }] })).toBe(false);
    expect(jsonValidator('EnhancedError400')({ ...sample, fields: [{ path: 'q', message: 'm' }] })).toBe(false);
  });

  it("rejects with each status's schema what that status never carries", () => {
    const validate400 = jsonValidator('EnhancedError400');
    const sample = { action: 'none', status: 400, code: 'invalid_requestor', message: 'm', trace: 't' };
    expect(validate400(sample)).toBe(true);
    expect(validate400({ ...sample, status: 401 })).toBe(false);
    expect(validate400({ ...sample, code: 'no_such_code' })).toBe(false);
    expect(passRestV1Registry.get('authorization_denied_by_mvpd').statuses).toEqual([403]);
    expect(validate400({ ...sample, code: 'authorization_denied_by_mvpd' })).toBe(false);
    expect(validate400({ ...sample, action: 'panic' })).toBe(false);
    expect(validate400({ ...sample, helpUrl: 'not a url' })).toBe(false);
    expect(validate400({ ...sample, extra: 'member' })).toBe(false);
    const { trace: _trace, ...withoutTrace } = sample;
    expect(validate400(withoutTrace)).toBe(false);
  });

  it('declares Retry-After, in delay-seconds, on every status: any error may carry a wait of its own', () => {
    expect(v1.headers['EnhancedError.Retry-After']?.schema).toEqual({ type: 'integer', minimum: 0 });
    for (const [name, response] of Object.entries(v1.responses)) {
      expect([name, (response.headers as Record<string, unknown>)['Retry-After']]).toEqual([
        name,
        { $ref: '#/components/headers/EnhancedError.Retry-After' },
      ]);
    }
  });

  it("marks this library's additions with x-origin: library, in the code schema and the responses' descriptions", () => {
    const codes = v1.schemas.EnhancedErrorCode?.oneOf as { const: string; description: string; 'x-origin'?: string }[];
    const marked = codes.filter((entry) => entry['x-origin'] === 'library').map((entry) => entry.const);
    expect(marked).toEqual([...passRestV1Registry].filter((entry) => entry.origin === 'library').map((entry) => entry.code));
    expect(marked).toEqual(['too_many_requests', 'service_unavailable', 'not_found', 'client_error', 'server_error']);
    for (const entry of codes) {
      expect([entry.const, entry.description.endsWith(LIBRARY_ADDITION_NOTE)]).toEqual([entry.const, marked.includes(entry.const)]);
    }
    expect(v1.schemas.EnhancedErrorCode?.description).toMatch(/marked `x-origin: library` is this library's addition/);
    expect(v1.responses.EnhancedError404?.description).toBe(
      'Not Found: authorization_not_found, not_found (library), client_error (library)',
    );
  });

  it('documents each media type with the schema of the formatter that answers it', () => {
    const vimond = openApiComponents(vimondRegistry, { formatters: [vimondFormatter, xmlFormatter, problemJsonFormatter, jsonFormatter] });
    // jsonFormatter offers only application/json, which vimondFormatter answers first: it never answers.
    expect(Object.keys(vimond.responses.EnhancedError404?.content as object)).toEqual([
      'application/json',
      'application/xml',
      'application/problem+json',
      'text/html',
    ]);
    const validateOf = schemaValidators(vimond);
    const vimond404 = validateOf('EnhancedError404', 'application/json') as ValidateFunction;
    const problem404 = validateOf('EnhancedError404', 'application/problem+json') as ValidateFunction;
    expect(vimond404({ errors: [{ title: 'ASSET_NOT_FOUND', detail: 'Gone', code: '2000' }] })).toBe(true);
    expect(vimond404({ errors: [{ title: 'UNKNOWN', detail: 'Not found', code: '0' }] })).toBe(true);
    expect(vimond404({ errors: [{ title: 'ASSET_NOT_FOUND', detail: 'Gone', code: '3003' }] })).toBe(false);
    expect(vimond404({ errors: [] })).toBe(false);
    expect(vimond404({ action: 'none', status: 404, code: 'asset_not_found_2000', message: 'm', trace: 't' })).toBe(false);
    const problem = { type: 'about:blank', title: 'Gone', status: 404, code: 'asset_not_found_2000', action: 'none', trace: 't' };
    expect(problem404(problem)).toBe(true);
    expect(problem404({ ...problem, errors: [{ detail: 'Required', pointer: '#/name' }], omittedErrors: 2 })).toBe(true);
    expect(problem404({ ...problem, status: 400 })).toBe(false);
    expect(problem404({ ...problem, type: 'not a uri' })).toBe(false);
    // An about:blank problem's message, and the help page, are members of their own.
    expect(problem404({ ...problem, message: 'The asset is gone.', helpUrl: 'https://docs.example.com/errors' })).toBe(true);
    expect(problem404({ ...problem, helpUrl: 'not a uri' })).toBe(false);
    expect(problem404({ ...problem, detail: 'Gone', extra: 'x' })).toBe(false);
    expect(vimond.examples['EnhancedError.asset_not_found_2000.404.json']?.value).toEqual({
      errors: [{ title: 'ASSET_NOT_FOUND', detail: vimondRegistry.get('asset_not_found_2000').message, code: '2000' }],
    });
    expect(vimond.examples['EnhancedError.asset_not_found_2000.404.problem-json']?.value).toMatchObject({ code: 'asset_not_found_2000' });
    expect(Object.keys(vimond.schemas)).not.toContain('EnhancedErrorWithFieldErrors');
    // Vimond's formatter has no item form: item responses are negotiated among XML and the JSON that never answers errors here.
    expect(Object.keys(vimond.responses.EnhancedErrorItems?.content as object)).toEqual(['application/xml', 'application/json']);
    expect(openApiComponents(vimondRegistry, { formatters: [vimondFormatter] }).responses).not.toHaveProperty('EnhancedErrorItems');
  });

  it("declares the handler's HTML page as text/html on every error status, unless htmlPage is false or a formatter offers text/html", () => {
    const html = v1.responses.EnhancedError404?.content as Record<string, { schema?: { type?: string }; examples?: object }>;
    expect(html['text/html']?.schema?.type).toBe('string');
    expect(html['text/html']).not.toHaveProperty('examples');
    for (const [name, response] of Object.entries(v1.responses)) {
      expect([name, Object.keys(response.content as object).includes('text/html')]).toEqual([name, name !== 'EnhancedErrorItems']);
    }
    const off = openApiComponents(passRestV1Registry, { htmlPage: false });
    expect(Object.keys(off.responses.EnhancedError404?.content as object)).toEqual(['application/json', 'application/xml']);
    const page: Formatter = {
      mediaTypes: ['text/html'],
      contentType: 'text/html; charset=utf-8',
      formatError: (envelope) => envelope.code,
    };
    const own = openApiComponents(passRestV1Registry, { formatters: [jsonFormatter, page] });
    expect(own.responses.EnhancedError404?.content).toMatchObject({
      'text/html': { examples: { not_found: { $ref: '#/components/examples/EnhancedError.not_found.404.text-html' } } },
    });
    expect(() => openApiComponents(passRestV1Registry, { htmlPage: 'yes' as never })).toThrow(
      'openApiComponents: htmlPage must be a boolean, got "yes"',
    );
  });

  it("documents a custom formatter's media type and examples, without a schema it cannot know", () => {
    const csv: Formatter = {
      mediaTypes: ['text/csv'],
      contentType: 'text/csv; charset=utf-8',
      formatError: (envelope) => `${envelope.code},${envelope.status}`,
    };
    const components = openApiComponents(passRestV1Registry, { formatters: [jsonFormatter, csv] });
    expect(components.responses.EnhancedError404?.content).toMatchObject({
      'text/csv': { examples: { not_found: { $ref: '#/components/examples/EnhancedError.not_found.404.text-csv' } } },
    });
    expect((components.responses.EnhancedError404?.content as Record<string, object>)['text/csv']).not.toHaveProperty('schema');
    expect(components.examples['EnhancedError.not_found.404.text-csv']?.value).toBe('not_found,404');
    expect(Object.keys(components.responses.EnhancedErrorItems?.content as object)).toEqual(['application/json']);
  });

  it('fits two registries in one document under their prefixes, and localizes examples', async () => {
    const localized = createRegistry(passCodes, { messages: { fr: passMessagesFr } });
    const pass = openApiComponents(localized, { prefix: 'Pass', locale: 'fr', requestIdHeader: false });
    const both: OpenApiComponents = {
      schemas: { ...v1.schemas, ...pass.schemas },
      examples: { ...v1.examples, ...pass.examples },
      headers: { ...v1.headers, ...pass.headers },
      responses: { ...v1.responses, ...pass.responses },
    };
    expect(Object.keys(both.examples)).toHaveLength(Object.keys(v1.examples).length + Object.keys(pass.examples).length);
    await validated(documentWith(both, 'EnhancedError', 'Pass'));
    expect(pass.examples['Pass.too_many_requests.429.json']?.value).toMatchObject({ message: passMessagesFr.too_many_requests });
    expect(pass.examples['Pass.invalid_domain.400.json']?.value).toMatchObject({ message: passCodes.invalid_domain.message });
    expect(pass.headers['Pass.Content-Language']).toMatchObject({ schema: { enum: ['en', 'fr'] } });
    expect(Object.keys(pass.headers)).not.toContain('Pass.X-Request-Id');
  });

  it.each([
    [{ prefix: 'has space' }, /prefix must match/],
    [{ locale: 'fr' }, /passRegistry has no messages in "fr"/],
    [{ requestIdHeader: 'X-Bad\r\nHeader' }, /requestIdHeader must be a header name/],
    [{ formatters: [] }, /openApiComponents: formatters option must be a non-empty array/],
    [{ formatters: [{ mediaTypes: ['json'] }] as never }, /openApiComponents: formatters\[0\]\.mediaTypes must be/],
  ])('refuses %p', (options, expected) => {
    expect(() => openApiComponents(passRegistry as RegistryView, options)).toThrow(expected);
  });
});
