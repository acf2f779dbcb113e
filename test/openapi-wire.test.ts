import type { Request } from 'express';
import Boom from '@hapi/boom';
import createError from 'http-errors';
import { createRegistry, type EnhancedErrorHandlerOptions, type Formatter, passRegistry, type RegistryView } from '../src';
import {
  ADOBE_REQUEST_ID_HEADER,
  PASS_HELP_URL,
  passMessagesFr,
  passRestV1Registry,
  passRestV2Registry,
  vimondRegistry,
} from '../src/core/catalogs';
import { openApiComponents, type OpenApiComponents } from '../src/docs';
import { EXAMPLE_TRACE } from '../src/docs/openapi';
import {
  createJsonFormatter,
  createXmlFormatter,
  jsonFormatter,
  problemJsonFormatter,
  problemXmlFormatter,
  vimondFormatter,
  xmlFormatter,
} from '../src/core/formats';
import { enhancedErrorHandlerWithItems } from '../src/items';
import { type ExpressFactory, expressVersions } from './support/apps';
import { type RawResponse, startServer, type TestServer } from './support/http-client';
import { type Dereferenced, documentWith, newAjv, schemaValidators, validated } from './support/openapi';
import { libraries, mountValidationRoutes } from './support/validation-apps';

/**
 * Every error response the handler sends, checked against the OpenAPI
 * components published for the same options: the status is documented, the
 * Content-Type is one of its media types, a JSON body is valid (Ajv, strict,
 * draft 2020-12) against that media type's schema, and each documented
 * header it carries (Retry-After, Content-Language, the request id) is
 * declared for that status and valid against its schema.
 */

interface Setup {
  registry: RegistryView;
  formatters: readonly Formatter[];
  requestIdHeader: string;
  /** The Accept values that reach each configured format. */
  accepts: readonly (string | undefined)[];
  /** Accept-Language values to rotate through. */
  languages: readonly (string | undefined)[];
}

/** What Chromium and Firefox send for a navigation: the handler answers its HTML page. */
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const passFormats = [undefined, 'application/xml', 'application/problem+json', 'application/problem+xml', BROWSER];
const allPassFormatters = [jsonFormatter, xmlFormatter, problemJsonFormatter, problemXmlFormatter];

const passFr = createRegistry(passRegistry.definitions, { name: 'passFr', messages: { fr: passMessagesFr }, helpUrl: PASS_HELP_URL });

const setups: [string, Setup][] = [
  [
    'passRegistry',
    {
      registry: passRegistry,
      formatters: allPassFormatters,
      requestIdHeader: 'X-Request-Id',
      accepts: passFormats,
      languages: [undefined],
    },
  ],
  [
    'passRestV2Registry',
    {
      registry: passRestV2Registry,
      formatters: allPassFormatters,
      requestIdHeader: ADOBE_REQUEST_ID_HEADER,
      accepts: passFormats,
      languages: [undefined],
    },
  ],
  [
    'passRestV1Registry',
    {
      registry: passRestV1Registry,
      formatters: allPassFormatters,
      requestIdHeader: 'X-Request-Id',
      accepts: passFormats,
      languages: [undefined],
    },
  ],
  [
    'vimondRegistry (Vimond JSON, Pass XML, problem+json)',
    {
      registry: vimondRegistry,
      formatters: [vimondFormatter, xmlFormatter, problemJsonFormatter],
      requestIdHeader: 'X-Request-Id',
      accepts: [undefined, 'application/xml', 'application/problem+json', BROWSER],
      languages: [undefined],
    },
  ],
  [
    'passRegistry in French, with field errors',
    {
      registry: passFr,
      formatters: [createJsonFormatter({ fieldErrors: true }), createXmlFormatter({ fieldErrors: true }), problemJsonFormatter],
      requestIdHeader: 'X-Request-Id',
      accepts: ['*/*', 'text/xml', 'application/problem+json', BROWSER],
      languages: [undefined, 'fr', 'de, fr;q=0.5'],
    },
  ],
];

/** The headers a response may carry that the components document, besides Content-Type. */
function documentedHeaders(requestIdHeader: string): string[] {
  return ['Retry-After', 'Content-Language', requestIdHeader];
}

/** A header's value as OpenAPI's simple style reads it for the schema's type. */
function headerValue(schema: { type?: string }, value: string): string | number {
  return schema.type === 'integer' && /^\d+$/.test(value) ? Number(value) : value;
}

function isJson(mediaType: string): boolean {
  return /^application\/(?:[^/]+\+)?json$/.test(mediaType);
}

/** Checks responses against one document; collects every difference, so that a failure lists them all. */
class WireContract {
  readonly problems: string[] = [];
  private readonly ajv = newAjv();
  private readonly validator: ReturnType<typeof schemaValidators>;
  checked = 0;
  /** How many checked responses carried each documented header. */
  readonly carried = new Map<string, number>();

  constructor(
    components: OpenApiComponents,
    private readonly document: Dereferenced,
    private readonly prefix: string,
    private readonly requestIdHeader: string,
  ) {
    this.validator = schemaValidators(components);
  }

  /** `example`: the code whose example this body must equal (a registry code answered with the example's trace and helpUrl). */
  check(label: string, res: RawResponse, options: { items?: boolean; example?: string } = {}): void {
    this.checked += 1;
    const problem = (what: string) => this.problems.push(`${label} → ${res.status}: ${what}`);
    const responseName = options.items === true ? `${this.prefix}Items` : `${this.prefix}${res.status}`;
    const response = this.document.components.responses[responseName];
    if (response === undefined || (options.items === true && res.status !== 200)) return void problem('status not documented');
    const mediaType = (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const content = response.content[mediaType];
    if (content === undefined) return void problem(`Content-Type ${mediaType} not documented`);
    const text = res.body.toString('utf8');
    if (isJson(mediaType)) {
      const validate = this.validator(responseName, mediaType);
      if (validate === undefined) problem(`no schema for ${mediaType}`);
      else if (!validate(JSON.parse(text))) problem(`body ${text.slice(0, 160)}: ${this.ajv.errorsText(validate.errors)}`);
    }
    if (mediaType === 'text/html' && !text.startsWith('<!DOCTYPE html>')) problem('text/html body is not the HTML page');
    // The HTML page is declared without examples.
    if (options.example !== undefined && mediaType !== 'text/html') {
      const example = content.examples?.[options.example]?.value;
      const sent: unknown = isJson(mediaType) ? JSON.parse(text) : text;
      if (JSON.stringify(sent) !== JSON.stringify(example)) problem(`body differs from the example ${options.example}`);
    }
    for (const name of documentedHeaders(this.requestIdHeader)) {
      const value = res.headers[name.toLowerCase()];
      const declared = response.headers[name];
      if (typeof value !== 'string') {
        if (declared?.required === true) problem(`${name} is required but not sent`);
        continue;
      }
      this.carried.set(name, (this.carried.get(name) ?? 0) + 1);
      if (declared === undefined) problem(`${name}: ${value} is sent but not declared`);
      else if (!this.ajv.validate(declared.schema, headerValue(declared.schema, value))) {
        problem(`${name}: ${value} does not match ${JSON.stringify(declared.schema)}`);
      }
    }
  }

  /** One assertion for all: how many differences, and the first ones. */
  expectNone(carrying = documentedHeaders(this.requestIdHeader)): void {
    expect(this.checked).toBeGreaterThan(0);
    // The sweep is not empty: the headers it should have made were sent and checked.
    expect(carrying.filter((name) => !this.carried.has(name))).toEqual([]);
    expect({ differences: this.problems.length, first: this.problems.slice(0, 12) }).toEqual({ differences: 0, first: [] });
  }
}

interface RequestInit {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Default: none. */
  accept?: string;
  /** Accept-Language. Default: none. */
  language?: string;
}

/** How a route asks for a wait: none, the error's retryAfter, or a Retry-After of its own headers. */
const WAITS = ['none', 'init', 'header'] as const;

function waitOf(req: Request): { retryAfter?: number; headers?: Record<string, string> } {
  if (req.query.wait === 'init') return { retryAfter: 30 };
  if (req.query.wait === 'header') return { headers: { 'Retry-After': '5' } };
  return {};
}

function sweepApp(express: ExpressFactory, setup: Setup) {
  const { registry } = setup;
  const options: EnhancedErrorHandlerOptions = {
    registry,
    formatters: setup.formatters,
    requestIdHeader: setup.requestIdHeader,
    generateTrace: () => EXAMPLE_TRACE,
    log: false,
  };
  const errors = enhancedErrorHandlerWithItems(options);
  const app = express();
  app.use(express.json({ limit: '1kb' }));
  app.get('/code/:code/:status', (req) => {
    throw registry.create(String(req.params.code), { status: Number(req.params.status), ...waitOf(req) });
  });
  app.get('/http/:status', (req) => {
    throw createError(Number(req.params.status), 'Thrown.', waitOf(req));
  });
  app.get('/aggregate', () => {
    const [first, second] = [...registry];
    throw new AggregateError([registry.create(first?.code ?? ''), registry.create(second?.code ?? '')]);
  });
  app.get('/items/:variant', (req, res) => {
    const failing = req.params.variant === 'failing';
    const items: Record<string, unknown>[] = [{ id: 'ok', authorized: true }];
    if (failing) {
      for (const entry of registry) items.push({ id: entry.code, authorized: false, error: registry.create(entry.code, waitOf(req)) });
      items.push({ id: 'thrown', error: new Error('database password is hunter2') });
    }
    errors.sendItems(req, res, { collection: 'resources', items });
  });
  app.get('/boom/unavailable', () => {
    const unavailable = Boom.serverUnavailable('Down for maintenance');
    unavailable.output.headers['Retry-After'] = '10';
    throw unavailable;
  });
  mountValidationRoutes(app);
  app.use(errors.handler);
  return app;
}

describe.each(expressVersions)('%s: every response is what openApiComponents publishes', (_name, express) => {
  describe.each(setups)('%s', (_setupName, setup) => {
    const { registry, accepts, languages, requestIdHeader } = setup;
    let server: TestServer;
    let contract: WireContract;
    let sent = 0;

    /** Sends a request id every other time. */
    function send(path: string, init: RequestInit = {}) {
      const headers: Record<string, string> = {
        ...(init.accept !== undefined && { Accept: init.accept }),
        ...(init.language !== undefined && { 'Accept-Language': init.language }),
        ...(sent % 2 === 0 && { [requestIdHeader]: `req-${sent}` }),
        ...init.headers,
      };
      sent += 1;
      return server.send({ method: init.method ?? 'GET', path, headers, body: init.body });
    }

    /** The i-th value of a list, counting in a mixed radix after `before` other lists' lengths: every combination comes in turn. */
    const nth = <T>(list: readonly T[], index: number, before = 1): T => list[Math.floor(index / before) % list.length] as T;

    beforeAll(async () => {
      const components = openApiComponents(registry, { formatters: setup.formatters, requestIdHeader });
      contract = new WireContract(components, await validated(documentWith(components, 'EnhancedError')), 'EnhancedError', requestIdHeader);
      server = await startServer(sweepApp(express, setup));
    });
    afterAll(async () => {
      await server?.close();
    });
    beforeEach(() => {
      contract.problems.length = 0;
      contract.checked = 0;
      contract.carried.clear();
    });

    it('each code at each allowed status, in the formats, waits and languages by turns', async () => {
      let index = 0;
      for (const entry of registry) {
        for (const status of entry.statuses) {
          const accept = nth(accepts, index);
          const wait = nth(WAITS, index, accepts.length);
          const language = nth(languages, index, accepts.length * WAITS.length);
          index += 1;
          const path = `/code/${entry.code}/${status}?wait=${wait}`;
          const res = await send(path, { accept, language });
          // The examples are in the registry's default language.
          contract.check(`${path} (${accept}, ${language})`, res, language === undefined ? { example: entry.code } : {});
        }
      }
      contract.expectNone();
    }, 60_000);

    it('http-errors 400–599, with and without a Retry-After in seconds', async () => {
      for (let status = 400; status <= 599; status++) {
        const accept = nth(accepts, status);
        const language = nth(languages, status, accepts.length);
        for (const wait of ['none', 'header'] as const) {
          const path = `/http/${status}?wait=${wait}`;
          const res = await send(path, { accept, language });
          if (res.status !== status) contract.problems.push(`${path}: answered ${res.status}`);
          contract.check(`${path} (${accept}, ${language})`, res);
        }
      }
      contract.expectNone();
    }, 60_000);

    it('the mappers, body-parser errors and an aggregate of errors', async () => {
      const invalid = JSON.stringify({ name: 'short', kind: 'c', count: 'x' });
      const json = { 'Content-Type': 'application/json' };
      const requests: [string, RequestInit][] = [
        ...libraries.map((path): [string, RequestInit] => [path, { method: 'POST', body: invalid, headers: json }]),
        ['/celebrate?limit=many', { method: 'POST', body: invalid, headers: json }],
        ['/oas', { method: 'PUT', body: '{}', headers: json }],
        ['/oas', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } }],
        ['/boom/unauthorized', {}],
        ['/boom/not-found', {}],
        ['/boom/implementation', {}],
        ['/boom/unavailable', {}],
        ['/zod4', { method: 'POST', body: '{"name', headers: json }],
        ['/zod4', { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(2048) }), headers: json }],
        ['/zod4', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json; charset=klingon' } }],
        ['/zod4', { method: 'POST', body: '{}', headers: { ...json, 'Content-Encoding': 'x-unknown' } }],
        ['/aggregate', {}],
      ];
      const statuses = new Set<number>();
      for (const [index, [path, init]] of requests.entries()) {
        const language = nth(languages, index);
        for (const accept of accepts) {
          const res = await send(path, { ...init, accept, language });
          statuses.add(res.status);
          contract.check(`${init.method ?? 'GET'} ${path} (${accept}, ${language})`, res);
        }
      }
      // The aggregate answers with its first error's status.
      const aggregate = [...registry][0]?.status ?? 0;
      expect([...statuses].sort()).toEqual([...new Set([400, 401, 404, 405, 413, 415, 500, 503, aggregate])].sort());
      contract.expectNone();
    }, 60_000);

    it('item responses: all succeeded, and one item failing with each code, with and without waits', async () => {
      let index = 0;
      for (const accept of ['application/json', 'application/xml', 'application/problem+json', BROWSER, undefined]) {
        for (const path of ['/items/ok', '/items/failing', '/items/failing?wait=init', '/items/failing?wait=header']) {
          const language = nth(languages, index++);
          contract.check(`${path} (${accept}, ${language})`, await send(path, { accept, language }), { items: true });
        }
      }
      // Items send Retry-After for retry-after codes only: Vimond has none.
      const retryAfter = [...registry].some((entry) => entry.action === 'retry-after');
      contract.expectNone(documentedHeaders(requestIdHeader).filter((name) => retryAfter || name !== 'Retry-After'));
    }, 60_000);
  });
});
