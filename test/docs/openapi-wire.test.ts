import type { ErrorRequestHandler } from 'express';
import Boom from '@hapi/boom';
import createError from 'http-errors';
import { createRegistry, type EnhancedErrorHandlerOptions, type Formatter, passRegistry, type RegistryView } from '../../src';
import {
  ADOBE_REQUEST_ID_HEADER,
  PASS_HELP_URL,
  passMessagesFr,
  passRestV1Registry,
  passRestV2Registry,
  vimondRegistry,
} from '../../src/core/catalogs';
import { openApiComponents, type OpenApiComponents } from '../../src/docs';
import { EXAMPLE_TRACE } from '../../src/docs/openapi';
import {
  createJsonFormatter,
  createXmlFormatter,
  jsonFormatter,
  problemJsonFormatter,
  problemXmlFormatter,
  vimondFormatter,
  xmlFormatter,
} from '../../src/core/formats';
import { enhancedErrorHandlerWithItems } from '../../src/items';
import { answerError } from '../../src/core/answer/answer';
import { createErrorPipeline, type ErrorPipeline } from '../../src/adapters/express/pipeline';
import { type ExpressFactory, expressVersions } from '../support/apps';
import { answerResponse, requestView, wireParts } from '../support/core-answers';
import { type RawResponse, startServer, type TestServer } from '../support/http-client';
import { type Dereferenced, documentWith, newAjv, schemaValidators, validated } from '../support/openapi';
import { libraries, mountValidationRoutes } from '../support/validation-apps';

/**
 * Every error response the handler sends, checked against the OpenAPI
 * components published for the same options: the status is documented, the
 * Content-Type is one of its media types, a JSON body is valid (Ajv, strict,
 * draft 2020-12) against that media type's schema, and each documented
 * header it carries (Retry-After, Content-Language, the request id) is
 * declared for that status and valid against its schema.
 *
 * The sweeps check the answers of the core (answerError on the handler's
 * pipeline): what a response says is the core's alone. A sample per Express
 * major goes over HTTP and is checked twice: against the components, and
 * byte for byte against the core's answer to what its route threw, so that
 * the sweeps speak for the wire. Item responses go over HTTP (Express 5).
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

  reset(): void {
    this.problems.length = 0;
    this.checked = 0;
    this.carried.clear();
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
type Wait = (typeof WAITS)[number];

function waitInit(wait: unknown): { retryAfter?: number; headers?: Record<string, string> } {
  if (wait === 'init') return { retryAfter: 30 };
  if (wait === 'header') return { headers: { 'Retry-After': '5' } };
  return {};
}

/** What the sweep's own routes throw: made alike for the app and for the core. */
const thrownBy = {
  code: (registry: RegistryView, code: string, status: number, wait: Wait) => registry.create(code, { status, ...waitInit(wait) }),
  http: (status: number, wait: Wait) => createError(status, 'Thrown.', waitInit(wait)),
  aggregate: (registry: RegistryView) => {
    const [first, second] = [...registry];
    return new AggregateError([registry.create(first?.code ?? ''), registry.create(second?.code ?? '')]);
  },
  boomUnavailable: () => {
    const unavailable = Boom.serverUnavailable('Down for maintenance');
    unavailable.output.headers['Retry-After'] = '10';
    return unavailable;
  },
};

function sweepOptions(setup: Setup): EnhancedErrorHandlerOptions {
  return {
    registry: setup.registry,
    formatters: setup.formatters,
    requestIdHeader: setup.requestIdHeader,
    generateTrace: () => EXAMPLE_TRACE,
    log: false,
  };
}

/** What reached the error handler: the value thrown and the response's status then. */
interface Thrown {
  value: unknown;
  status: number;
}

/** The sweep's routes; `onThrown` sees each error before the handler does. */
function sweepApp(express: ExpressFactory, setup: Setup, onThrown: (thrown: Thrown) => void = () => {}) {
  const { registry } = setup;
  const errors = enhancedErrorHandlerWithItems(sweepOptions(setup));
  const app = express();
  app.use(express.json({ limit: '1kb' }));
  app.get('/code/:code/:status', (req) => {
    throw thrownBy.code(registry, String(req.params.code), Number(req.params.status), req.query.wait as Wait);
  });
  app.get('/http/:status', (req) => {
    throw thrownBy.http(Number(req.params.status), req.query.wait as Wait);
  });
  app.get('/aggregate', () => {
    throw thrownBy.aggregate(registry);
  });
  app.get('/items/:variant', (req, res) => {
    const failing = req.params.variant === 'failing';
    const items: Record<string, unknown>[] = [{ id: 'ok', authorized: true }];
    if (failing) {
      for (const entry of registry)
        items.push({ id: entry.code, authorized: false, error: registry.create(entry.code, waitInit(req.query.wait)) });
      items.push({ id: 'thrown', error: new Error('database password is hunter2') });
    }
    errors.sendItems(req, res, { collection: 'resources', items });
  });
  app.get('/boom/unavailable', () => {
    throw thrownBy.boomUnavailable();
  });
  mountValidationRoutes(app);
  const capture: ErrorRequestHandler = (err, _req, res, next) => {
    onThrown({ value: err, status: res.statusCode });
    next(err);
  };
  app.use(capture);
  app.use(errors.handler);
  return app;
}

/** The mapper and body-parser requests: each fails in a library or in Express's body parser. */
function mapperRequests(): [string, RequestInit][] {
  const invalid = JSON.stringify({ name: 'short', kind: 'c', count: 'x' });
  const json = { 'Content-Type': 'application/json' };
  return [
    ...libraries.map((path): [string, RequestInit] => [path, { method: 'POST', body: invalid, headers: json }]),
    ['/celebrate?limit=many', { method: 'POST', body: invalid, headers: json }],
    ['/oas', { method: 'PUT', body: '{}', headers: json }],
    ['/oas', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } }],
    ['/boom/unauthorized', {}],
    ['/boom/not-found', {}],
    ['/boom/implementation', {}],
    ['/zod4', { method: 'POST', body: '{"name', headers: json }],
    ['/zod4', { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(2048) }), headers: json }],
    ['/zod4', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json; charset=klingon' } }],
    ['/zod4', { method: 'POST', body: '{}', headers: { ...json, 'Content-Encoding': 'x-unknown' } }],
  ];
}

/** The i-th value of a list, counting in a mixed radix after `before` other lists' lengths: every combination comes in turn. */
const nth = <T>(list: readonly T[], index: number, before = 1): T => list[Math.floor(index / before) % list.length] as T;

/** The request headers of a sweep's request; a request id every other time. */
function requestHeaders(setup: Setup, index: number, init: RequestInit): Record<string, string> {
  return {
    ...(init.accept !== undefined && { Accept: init.accept }),
    ...(init.language !== undefined && { 'Accept-Language': init.language }),
    ...(index % 2 === 0 && { [setup.requestIdHeader]: `req-${index}` }),
    ...init.headers,
  };
}

/** What each mapper request threw, in each Express major (their body parsers differ): captured over HTTP once. */
const mapperErrors = new Map<string, { path: string; init: RequestInit; thrown: Thrown }[]>();

beforeAll(async () => {
  for (const [name, express] of expressVersions) {
    let last: Thrown | undefined;
    const server = await startServer(sweepApp(express, setups[0]?.[1] as Setup, (thrown) => (last = thrown)));
    const captured = [];
    for (const [path, init] of mapperRequests()) {
      last = undefined;
      await server.send({ method: init.method ?? 'GET', path, headers: init.headers, body: init.body });
      if (last === undefined) throw new Error(`${name}: ${path} reached no error handler`);
      captured.push({ path, init, thrown: last });
    }
    await server.close();
    mapperErrors.set(name, captured);
  }
});

const contracts = new Map<Setup, Promise<{ contract: WireContract; pipeline: ErrorPipeline }>>();

/**
 * The contract and the core's pipeline of one setup, as the handler builds it from the sweep's options: made once
 * (validating the document and compiling its schemas is most of the cost), emptied for each test.
 */
async function contractFor(setup: Setup): Promise<{ contract: WireContract; pipeline: ErrorPipeline }> {
  let made = contracts.get(setup);
  if (made === undefined) {
    const { registry, requestIdHeader } = setup;
    const components = openApiComponents(registry, { formatters: setup.formatters, requestIdHeader });
    made = validated(documentWith(components, 'EnhancedError')).then((document) => ({
      contract: new WireContract(components, document, 'EnhancedError', requestIdHeader),
      pipeline: createErrorPipeline(sweepOptions(setup)),
    }));
    contracts.set(setup, made);
  }
  const found = await made;
  found.contract.reset();
  return found;
}

/** The core's answer to a thrown value, as the response the adapter writes of it. */
function coreResponse(pipeline: ErrorPipeline, thrown: Thrown, method: string, headers: Record<string, string>): RawResponse {
  return answerResponse(answerError(pipeline, thrown.value, requestView(method, headers), thrown.status), method);
}

describe.each(setups)('the core: every answer is what openApiComponents publishes: %s', (_setupName, setup) => {
  const { registry, accepts, languages } = setup;
  let contract: WireContract;
  let pipeline: ErrorPipeline;
  let sent = 0;

  function answer(value: unknown, init: RequestInit = {}): RawResponse {
    const method = init.method ?? 'GET';
    return coreResponse(pipeline, { value, status: 200 }, method, requestHeaders(setup, sent++, init));
  }

  beforeEach(async () => {
    ({ contract, pipeline } = await contractFor(setup));
  });

  it('each code at each allowed status, in the formats, waits and languages by turns', () => {
    let index = 0;
    for (const entry of registry) {
      for (const status of entry.statuses) {
        const accept = nth(accepts, index);
        const wait = nth(WAITS, index, accepts.length);
        const language = nth(languages, index, accepts.length * WAITS.length);
        index += 1;
        const res = answer(thrownBy.code(registry, entry.code, status, wait), { accept, language });
        // The examples are in the registry's default language.
        contract.check(
          `${entry.code} ${status} ${wait} (${accept}, ${language})`,
          res,
          language === undefined ? { example: entry.code } : {},
        );
      }
    }
    contract.expectNone();
  });

  it('http-errors 400–599, with and without a Retry-After in seconds', () => {
    for (let status = 400; status <= 599; status++) {
      const accept = nth(accepts, status);
      const language = nth(languages, status, accepts.length);
      for (const wait of ['none', 'header'] as const) {
        const label = `http-errors ${status} ${wait}`;
        const res = answer(thrownBy.http(status, wait), { accept, language });
        if (res.status !== status) contract.problems.push(`${label}: answered ${res.status}`);
        contract.check(`${label} (${accept}, ${language})`, res);
      }
    }
    contract.expectNone();
  });

  it.each(expressVersions.map(([name]) => name))('the mappers, body-parser errors (%s) and an aggregate of errors', (name) => {
    const requests = [
      ...(mapperErrors.get(name) ?? []),
      { path: '/boom/unavailable', init: {}, thrown: { value: thrownBy.boomUnavailable(), status: 200 } },
      { path: '/aggregate', init: {}, thrown: { value: thrownBy.aggregate(registry), status: 200 } },
    ];
    const statuses = new Set<number>();
    for (const [index, { path, init, thrown }] of requests.entries()) {
      const language = nth(languages, index);
      for (const accept of accepts) {
        const method = init.method ?? 'GET';
        const res = coreResponse(pipeline, thrown, method, requestHeaders(setup, sent++, { ...init, accept, language }));
        statuses.add(res.status);
        contract.check(`${method} ${path} (${accept}, ${language})`, res);
      }
    }
    // The aggregate answers with its first error's status.
    const aggregate = [...registry][0]?.status ?? 0;
    expect([...statuses].sort()).toEqual([...new Set([400, 401, 404, 405, 413, 415, 500, 503, aggregate])].sort());
    contract.expectNone();
  });
});

describe.each(expressVersions)(
  "%s: the handler writes exactly the core's answer, and it is what openApiComponents publishes",
  (_name, express) => {
    describe.each(setups)('%s', (_setupName, setup) => {
      const { registry, accepts, languages } = setup;
      let server: TestServer;
      let contract: WireContract;
      let pipeline: ErrorPipeline;
      let last: Thrown | undefined;
      let sent = 0;

      beforeAll(async () => {
        ({ contract, pipeline } = await contractFor(setup));
        server = await startServer(sweepApp(express, setup, (thrown) => (last = thrown)));
      });
      afterAll(async () => {
        await server?.close();
      });

      it('a sample of codes, http-errors, mappers, body-parser errors and an aggregate', async () => {
        const requests: [string, RequestInit][] = [];
        let index = 0;
        for (const entry of registry) {
          for (const status of entry.statuses) {
            // Every seventh case of the core's sweep, in its turns of formats, waits and languages.
            if (index % 7 === 0) {
              const wait = nth(WAITS, index, accepts.length);
              requests.push([
                `/code/${entry.code}/${status}?wait=${wait}`,
                { accept: nth(accepts, index), language: nth(languages, index, accepts.length * WAITS.length) },
              ]);
            }
            index += 1;
          }
        }
        for (const [turn, status] of [400, 404, 413, 429, 451, 500, 503, 504, 599].entries()) {
          for (const wait of ['none', 'header'] as const) {
            requests.push([`/http/${status}?wait=${wait}`, { accept: nth(accepts, turn * 2 + 1), language: nth(languages, turn) }]);
          }
        }
        for (const [turn, [path, init]] of [
          ...mapperRequests(),
          ['/boom/unavailable', {}] as [string, RequestInit],
          ['/aggregate', {}] as [string, RequestInit],
        ].entries()) {
          requests.push([path, { ...init, accept: nth(accepts, turn), language: nth(languages, turn, accepts.length) }]);
        }
        const differences: string[] = [];
        for (const [path, init] of requests) {
          const method = init.method ?? 'GET';
          const headers = requestHeaders(setup, sent++, init);
          last = undefined;
          const res = await server.send({ method, path, headers, body: init.body });
          const label = `${method} ${path} (${init.accept}, ${init.language})`;
          contract.check(label, res);
          if (last === undefined) {
            differences.push(`${label}: no error reached the handler`);
            continue;
          }
          // A request id the handler made is the one the core is asked to echo.
          const requestId = res.headers[setup.requestIdHeader.toLowerCase()];
          const expected = coreResponse(pipeline, last, method, {
            ...headers,
            ...(typeof requestId === 'string' && { [setup.requestIdHeader]: requestId }),
          });
          if (JSON.stringify(wireParts(res)) !== JSON.stringify(wireParts(expected))) {
            differences.push(`${label}: ${JSON.stringify(wireParts(res))} written for ${JSON.stringify(wireParts(expected))}`);
          }
        }
        expect(differences.slice(0, 5)).toEqual([]);
        contract.expectNone();
      });
    });
  },
);

describe('express 5: item responses are what openApiComponents publishes', () => {
  const express = expressVersions[0][1];
  describe.each(setups)('%s', (_setupName, setup) => {
    const { languages } = setup;
    let server: TestServer;
    let contract: WireContract;
    let sent = 0;

    beforeAll(async () => {
      server = await startServer(sweepApp(express, setup));
    });
    beforeEach(async () => {
      ({ contract } = await contractFor(setup));
    });
    afterAll(async () => {
      await server?.close();
    });

    it('all succeeded, and one item failing with each code, with and without waits', async () => {
      let index = 0;
      for (const accept of ['application/json', 'application/xml', 'application/problem+json', BROWSER, undefined]) {
        for (const path of ['/items/ok', '/items/failing', '/items/failing?wait=init', '/items/failing?wait=header']) {
          const language = nth(languages, index++);
          const res = await server.send({ path, headers: requestHeaders(setup, sent++, { accept, language }) });
          contract.check(`${path} (${accept}, ${language})`, res, { items: true });
        }
      }
      // Items send Retry-After for retry-after codes only: Vimond has none.
      const retryAfter = [...setup.registry].some((entry) => entry.action === 'retry-after');
      contract.expectNone(documentedHeaders(setup.requestIdHeader).filter((name) => retryAfter || name !== 'Retry-After'));
    });
  });
});
