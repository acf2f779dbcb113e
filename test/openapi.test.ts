import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { createRegistry, passRegistry, type RegistryView } from '../src';
import { passCodes, passMessagesFr, passRestV1Registry } from '../src/catalogs';
import { openApiComponents, type OpenApiComponents } from '../src/docs';
import { EXAMPLE_TRACE } from '../src/docs/openapi';
import { ENVELOPE_FIELDS } from '../src/formats';
import { appWith, expressVersions } from './support/apps';
import { fields, parseXml } from './support/xml';

const helpUrl = (code: string) => `https://api.example.com/errors#${code}`;

/** A whole OpenAPI 3.1 document whose one operation answers every status of the registries' responses. */
function documentWith(components: OpenApiComponents, ...prefixes: string[]) {
  const responses: Record<string, unknown> = { '200': { description: 'The video.' } };
  for (const prefix of prefixes) {
    for (const name of Object.keys(components.responses)) {
      if (name.startsWith(prefix) && /^\d{3}$/.test(name.slice(prefix.length))) {
        const status = name.slice(prefix.length);
        responses[status] = responses[status] ?? { $ref: `#/components/responses/${name}` };
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Videos', version: '1.0.0' },
    paths: { '/videos/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses } } },
    components,
  };
}

type Dereferenced = {
  components: {
    responses: Record<
      string,
      { headers: Record<string, unknown>; content: Record<string, { schema: object; examples: Record<string, { value: unknown }> }> }
    >;
  };
};

/** The document with every $ref replaced, after the validator accepted it. */
async function validated(document: object): Promise<Dereferenced> {
  await SwaggerParser.validate(structuredClone(document) as never);
  return (await SwaggerParser.dereference(structuredClone(document) as never)) as unknown as Dereferenced;
}

/** Ajv for draft 2020-12, OpenAPI 3.1's dialect, strict, with formats checked; `xml` is OpenAPI's own keyword. */
function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword('xml');
  return ajv;
}

const v1 = openApiComponents(passRestV1Registry, { helpUrl: (entry) => helpUrl(entry.code) });
const v1Pairs = [...passRestV1Registry].flatMap((entry) => entry.statuses.map((status) => [entry.code, status] as const));

describe('openApiComponents', () => {
  let document: Dereferenced;
  const validators = new Map<string, ValidateFunction>();
  const ajv = newAjv();

  beforeAll(async () => {
    document = await validated(documentWith(v1, 'EnhancedError'));
    for (const [name, response] of Object.entries(document.components.responses)) {
      validators.set(name, ajv.compile(response.content['application/json']?.schema ?? {}));
    }
  });

  it('is accepted by an OpenAPI 3.1 validator, which rejects a broken copy', async () => {
    expect(Object.keys(v1.responses).sort()).toEqual([...new Set(v1Pairs.map(([, status]) => `EnhancedError${status}`))].sort());
    const broken = structuredClone(documentWith(v1, 'EnhancedError'));
    delete (broken.components.responses.EnhancedError400 as { description?: string }).description;
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow(/description/);
  });

  it('makes action and code enums', () => {
    const properties = v1.schemas.EnhancedError?.properties as Record<string, { enum?: unknown[] }>;
    expect(properties.code?.enum).toEqual([...passRestV1Registry.codes]);
    expect(properties.action?.enum).toEqual([
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
    const json = response?.content['application/json']?.examples[code]?.value;
    const xml = response?.content['application/xml']?.examples[code]?.value;
    const entry = passRestV1Registry.get(code);
    expect(json).toEqual({ action: entry?.action, status, code, message: entry?.message, helpUrl: helpUrl(code), trace: EXAMPLE_TRACE });
    const validate = validators.get(`EnhancedError${status}`) as ValidateFunction;
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

  it('describes the opt-in field errors', () => {
    const validate400 = validators.get('EnhancedError400') as ValidateFunction;
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
  });

  it("rejects with each status's schema what that status never carries", () => {
    const validate400 = validators.get('EnhancedError400') as ValidateFunction;
    const sample = { action: 'none', status: 400, code: 'invalid_requestor', message: 'm', trace: 't' };
    expect(validate400(sample)).toBe(true);
    expect(validate400({ ...sample, status: 401 })).toBe(false);
    expect(validate400({ ...sample, code: 'no_such_code' })).toBe(false);
    expect(passRestV1Registry.get('authorization_denied_by_mvpd').statuses).toEqual([403]);
    expect(validate400({ ...sample, code: 'authorization_denied_by_mvpd' })).toBe(false);
    expect(validate400({ ...sample, action: 'panic' })).toBe(false);
    expect(validate400({ ...sample, helpUrl: 'not a url' })).toBe(false);
    const { trace: _trace, ...withoutTrace } = sample;
    expect(validate400(withoutTrace)).toBe(false);
  });

  it('documents Retry-After exactly on the statuses of retry-after codes', () => {
    for (const [name, response] of Object.entries(v1.responses)) {
      const status = Number(name.slice('EnhancedError'.length));
      const retryAfter = [...passRestV1Registry].some((entry) => entry.action === 'retry-after' && entry.statuses.includes(status));
      expect([name, 'Retry-After' in (response.headers as object)]).toEqual([name, retryAfter]);
    }
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
  ])('refuses %p', (options, expected) => {
    expect(() => openApiComponents(passRegistry as RegistryView, options)).toThrow(expected);
  });
});

const documented: [string, RegistryView][] = [
  ['passRestV1Registry', passRestV1Registry],
  ['passRegistry', passRegistry],
];

describe.each(expressVersions)('%s: the handler answers as documented', (_name, express) => {
  describe.each(documented)('%s', (_registryName, registry) => {
    const ajv = newAjv();
    const app = appWith(
      express,
      {
        '/:code/:status': (req) => {
          throw registry.create(String(req.params.code), { status: Number(req.params.status) });
        },
      },
      { registry, generateTrace: () => EXAMPLE_TRACE, helpUrl: (error) => helpUrl(error.code) },
    );
    const pairs = [...registry].flatMap((entry) => entry.statuses.map((status) => [entry.code, status] as const));
    let document: Dereferenced;
    beforeAll(async () => {
      document = await validated(documentWith(openApiComponents(registry, { helpUrl: (entry) => helpUrl(entry.code) }), 'EnhancedError'));
    });

    it.each(pairs)('%s at %i: bodies equal to the examples, headers as documented', async (code, status) => {
      const response = document.components.responses[`EnhancedError${status}`];
      const jsonContent = response?.content['application/json'];
      const json = await request(app).get(`/${code}/${status}`).set('X-Request-Id', 'req-42').expect(status);
      expect(json.body).toEqual(jsonContent?.examples[code]?.value);
      expect(ajv.validate(jsonContent?.schema ?? false, json.body)).toBe(true);
      const xml = await request(app).get(`/${code}/${status}`).set('Accept', 'application/xml').expect(status);
      expect(xml.text).toBe(response?.content['application/xml']?.examples[code]?.value);

      const headers = (response?.headers ?? {}) as Record<string, { schema: object }>;
      const retryAfter = registry.get(code)?.action === 'retry-after';
      expect('retry-after' in json.headers).toBe(retryAfter);
      const sent: [string, string | undefined][] = [
        ['Content-Language', json.headers['content-language']],
        ['X-Request-Id', json.headers['x-request-id']],
        ...(retryAfter ? [['Retry-After', json.headers['retry-after']] as [string, string]] : []),
      ];
      for (const [name, value] of sent) {
        expect([name, ajv.validate(headers[name]?.schema ?? false, value)]).toEqual([name, true]);
      }
    });
  });
});
