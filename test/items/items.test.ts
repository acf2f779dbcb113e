import type { Request, Response } from 'express';
import createHttpError from 'http-errors';
import request from 'supertest';
import { createRegistry, type EnhancedError, type ErrorContext, type Formatter, genericErrorCodes, passRegistry } from '../../src';
import { genericFallbacks, passRestV2Registry } from '../../src/core/catalogs';
import { jsonFormatter, xmlFormatter } from '../../src/core/formats';
import { enhancedErrorHandlerWithItems, planRetry } from '../../src/items';
import { express5Only } from '../support/apps';
import { type ItemRoute, itemsAppWith, SPEC_HELP_URL } from '../support/item-apps';
import { serveOnLoopback } from '../support/loopback';
import { parseXml, xmlObject } from '../support/xml';
import { itemsDocument } from '../support/xml-reference';

interface WireError {
  action: string;
  status: number;
  code: string;
  message: string;
  details?: string;
  helpUrl?: string;
  trace: string;
}

interface WireItem {
  id: string;
  authorized?: boolean;
  error?: WireError;
}

/** POST /items answers with the items made for each request. */
function itemsRoute(makeItems: () => object[]): Record<string, ItemRoute> {
  return {
    '/items': (errors) => (req: Request, res: Response) => errors.sendItems(req, res, { collection: 'resources', items: makeItems() }),
  };
}

/** POST /resources reads the request's list (so that a wrong list gets a top-level error) and authorizes every id. */
const readingRoute: Record<string, ItemRoute> = {
  '/resources': (errors) => (req: Request, res: Response) => {
    const ids = errors.readItems(req.body?.resources, 'resources');
    errors.sendItems(req, res, { collection: 'resources', items: ids.map((id) => ({ id, authorized: true })) });
  },
};

function recorder() {
  const reported: { error: EnhancedError; context: ErrorContext }[] = [];
  return { reported, onError: (error: EnhancedError, context: ErrorContext) => void reported.push({ error, context }) };
}

/** The response as nested objects, `<item>` and `<value>` always as arrays. */
const parsedItems = (text: string) => xmlObject(text, { arrays: ['item', 'value'] });

describe.each(express5Only)('%s: item-level errors', (_name, express) => {
  it("answers 200 with mixed results; every item error carries the response's one trace", async () => {
    const { reported, onError } = recorder();
    const app = itemsAppWith(
      express,
      itemsRoute(() => [
        { id: 'a', authorized: true },
        { id: 'b', authorized: false, error: passRegistry.create('authorization_denied_by_mvpd', { details: 'No "Live" channel' }) },
        { id: 'c', authorized: false, error: passRegistry.create('network_connection_timeout') },
      ]),
      { onError },
    );
    const res = await request(app).post('/items').set('X-Request-Id', 'req-42').expect(200);
    const [a, b, c] = res.body.resources as WireItem[];
    expect(a).toEqual({ id: 'a', authorized: true });
    expect(b).toEqual({
      id: 'b',
      authorized: false,
      error: {
        action: 'none',
        status: 403,
        code: 'authorization_denied_by_mvpd',
        message: passRegistry.get('authorization_denied_by_mvpd').message,
        details: 'No "Live" channel',
        helpUrl: SPEC_HELP_URL,
        trace: expect.any(String),
      },
    });
    expect(c?.error).toMatchObject({ action: 'retry', status: 403, code: 'network_connection_timeout' });
    expect(c?.error?.trace).toBe(b?.error?.trace);
    // onError sees each item error with the same trace and request id as the response.
    expect(reported.map(({ error }) => error.code)).toEqual(['authorization_denied_by_mvpd', 'network_connection_timeout']);
    expect(reported.map(({ context }) => context.trace)).toEqual([b?.error?.trace, b?.error?.trace]);
    expect(reported[0]?.context.requestId).toBe('req-42');
    expect(reported[0]?.context.envelope).toEqual(b?.error);
    expect(res.headers).toMatchObject({
      'x-request-id': 'req-42',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      vary: 'Accept',
    });
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('keeps a trace an earlier middleware chose, and leaves out trace when no item failed', async () => {
    const app = itemsAppWith(express, {
      '/items': (errors) => (req: Request, res: Response) => {
        res.locals.trace = 'trace-from-the-logger';
        const fail = req.query.fail === '1';
        errors.sendItems(req, res, {
          collection: 'resources',
          items: [{ id: 'a', authorized: !fail, error: fail ? passRegistry.create('authorization_not_found') : undefined }],
        });
      },
    });
    const failed = await request(app).post('/items?fail=1').expect(200);
    expect(failed.body.resources[0].error.trace).toBe('trace-from-the-logger');
    const ok = await request(app).post('/items').expect(200);
    expect(ok.text).toBe('{"resources":[{"id":"a","authorized":true}]}');
  });

  it('answers 200 when every item failed', async () => {
    const app = itemsAppWith(
      express,
      itemsRoute(() => [
        { id: 'a', error: passRegistry.create('authentication_session_expired') },
        { id: 'b', error: passRegistry.create('internal_error') },
      ]),
    );
    for (const accept of ['application/json', 'application/xml']) {
      const res = await request(app).post('/items').set('Accept', accept).expect(200);
      const items = (accept === 'application/json' ? res.body.resources : parsedItems(res.text).resources.item) as WireItem[];
      expect(items.map((item) => [item.id, item.error?.code, String(item.error?.status)])).toEqual([
        ['a', 'authentication_session_expired', '410'],
        ['b', 'internal_error', '500'],
      ]);
    }
  });

  it('drops the headers the route set for the body it meant to send, and keeps the others (CORS)', async () => {
    const app = itemsAppWith(express, {
      '/items': (errors) => (req: Request, res: Response) => {
        res.set({
          ETag: '"v1"',
          'Content-Disposition': 'attachment',
          'Content-Language': 'de',
          'Retry-After': '999',
          'Access-Control-Allow-Origin': '*',
        });
        errors.sendItems(req, res, {
          collection: 'resources',
          items: [{ id: 'a', error: passRegistry.create('network_connection_timeout') }],
        });
      },
    });
    const res = await request(app).post('/items').expect(200);
    expect(res.body.resources[0].error.code).toBe('network_connection_timeout');
    for (const stale of ['etag', 'content-disposition', 'retry-after']) expect(res.headers[stale]).toBeUndefined();
    expect(res.headers['content-language']).toBe('en');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  describe('anything thrown while serving one item is normalized exactly as the handler does', () => {
    const thrown: [string, () => unknown][] = [
      ['a plain Error', () => new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2')],
      ['a TypeError with properties', () => Object.assign(new TypeError('boom'), { secret: 'hunter2' })],
      ['an exposed http-errors 404', () => createHttpError(404, 'No stream named TestStream9')],
      ['an http-errors 503', () => createHttpError(503, 'pool exhausted; password=hunter2')],
      ['an object with status 502', () => ({ status: 502, message: 'upstream said hunter2' })],
      ['a string', () => 'hunter2'],
    ];
    const makeApp = (onError?: (error: EnhancedError, context: ErrorContext) => void) =>
      itemsAppWith(
        express,
        {
          ...itemsRoute(() => thrown.map(([name, make]) => ({ id: name, authorized: false, error: make() }))),
          '/top/:index': () => (req: Request) => {
            throw thrown[Number(req.params.index)]?.[1]();
          },
        },
        { generateTrace: () => 'the-trace', onError },
      );

    it.each(['application/json', 'application/xml'])('as %s', async (accept) => {
      const app = makeApp();
      const items = await request(app).post('/items').set('Accept', accept).expect(200);
      expect(items.text).not.toContain('hunter2');
      expect(items.text).not.toContain('ECONNREFUSED');
      for (const [index, [name]] of thrown.entries()) {
        const top = await request(app).get(`/top/${index}`).set('Accept', accept);
        if (accept === 'application/json') {
          const item = (items.body.resources as WireItem[])[index];
          expect({ name, error: item?.error }).toEqual({ name, error: top.body });
        } else {
          // The same bytes: the item's <error> element is the top-level body.
          const topError = top.text.replace(/^<\?xml[^>]*\?>/, '');
          expect(items.text).toContain(`<item><id>${name}</id><authorized>false</authorized>${topError}</item>`);
        }
      }
    });

    it('reports the original of a redacted item error to onError', async () => {
      const { reported, onError } = recorder();
      await request(makeApp(onError)).post('/items').expect(200);
      const plain = reported[0];
      expect(plain?.error.code).toBe('internal_error');
      expect(plain?.error.cause).toBeInstanceOf(Error);
      expect((plain?.error.cause as Error).message).toContain('password=hunter2');
      // A thrown 5xx keeps its status (502), only its message is redacted.
      expect(reported.map(({ error }) => error.status)).toEqual([500, 500, 404, 503, 502, 500]);
    });
  });

  describe('retry', () => {
    const mixed = () => [
      { id: 'ok', authorized: true },
      { id: 'denied', authorized: false, error: passRegistry.create('authorization_denied_by_mvpd') },
      { id: 'timeout', authorized: false, error: passRegistry.create('network_connection_timeout') },
      { id: 'busy', authorized: false, error: passRegistry.create('too_many_requests', { retryAfter: 30 }) },
      { id: 'limited', authorized: false, error: passRegistry.create('user_rate_limit_exceeded', { retryAfter: 120 }) },
      { id: 'plain-limit', authorized: false, error: passRegistry.create('user_rate_limit_exceeded') },
      { id: 'broken', authorized: false, error: new Error('not retried: a server fault') },
    ];

    it.each(['application/json', 'application/xml'])(
      'sets the largest Retry-After, and a client resends only retry and retry-after items (%s)',
      async (accept) => {
        const app = itemsAppWith(express, itemsRoute(mixed), { retryAfter: 45 });
        const res = await request(app).post('/items').set('Accept', accept).expect(200);
        expect(res.headers['retry-after']).toBe('120');
        const items = (accept === 'application/json' ? res.body.resources : parsedItems(res.text).resources.item) as WireItem[];
        const plan = planRetry(items, { retryAfter: Number(res.headers['retry-after']) });
        expect(plan.items.map((item) => item.id)).toEqual(['timeout', 'busy', 'limited', 'plain-limit']);
        expect(plan.retryAfter).toBe(120);
      },
    );

    it("uses the handler's default for a retry-after item that names no delay", async () => {
      const app = itemsAppWith(
        express,
        itemsRoute(() => [{ id: 'a', error: passRegistry.create('too_many_requests') }]),
        { retryAfter: 45 },
      );
      const res = await request(app).post('/items').expect(200);
      expect(res.headers['retry-after']).toBe('45');
    });

    it('sets no Retry-After when items ask only for a plain retry', async () => {
      const app = itemsAppWith(
        express,
        itemsRoute(() => mixed().filter((item) => item.id !== 'busy' && !item.id.includes('limit'))),
      );
      const res = await request(app).post('/items').expect(200);
      expect(res.headers['retry-after']).toBeUndefined();
      const plan = planRetry(res.body.resources as WireItem[]);
      expect(plan.items.map((item) => item.id)).toEqual(['timeout']);
      expect(plan.retryAfter).toBeUndefined();
    });
  });

  describe('a wrong request list gets a top-level error from the handler', () => {
    it.each([
      ['missing', {}],
      ['a string', { resources: 'TestStream1' }],
      ['an object', { resources: { 0: 'TestStream1' } }],
    ])('%s: 400 bad_request', async (_case, body) => {
      const app = itemsAppWith(express, readingRoute);
      const res = await request(app).post('/resources').send(body).expect(400);
      expect(res.body).toEqual({
        action: 'none',
        status: 400,
        code: 'bad_request',
        message: passRegistry.get('bad_request').message,
        details: 'The resources parameter must be a list.',
        helpUrl: SPEC_HELP_URL,
        trace: expect.any(String),
      });
    });

    it('more items than maxItems: 403 too_many_resources, in JSON or XML', async () => {
      const app = itemsAppWith(express, readingRoute, { maxItems: 3 });
      await request(app)
        .post('/resources')
        .send({ resources: ['a', 'b', 'c'] })
        .expect(200);
      const res = await request(app)
        .post('/resources')
        .send({ resources: ['a', 'b', 'c', 'd'] })
        .expect(403);
      expect(res.body).toMatchObject({
        action: 'configuration',
        status: 403,
        code: 'too_many_resources',
        details: 'The request has 4 resources; at most 3 are allowed.',
      });
      const asXml = await request(app)
        .post('/resources')
        .set('Accept', 'application/xml')
        .send({ resources: ['a', 'b', 'c', 'd'] })
        .expect(403);
      expect(parsedItems(asXml.text).error).toMatchObject({ code: 'too_many_resources', status: '403' });
    });

    it('allows 100 items by default', async () => {
      const app = itemsAppWith(express, readingRoute);
      const ids = Array.from({ length: 101 }, (_, i) => `r${i}`);
      await request(app)
        .post('/resources')
        .send({ resources: ids.slice(1) })
        .expect(200);
      await request(app).post('/resources').send({ resources: ids }).expect(403);
    });

    it("uses the registry's codes: REST v2 maps 400 to invalid_parameter_resources", async () => {
      const app = itemsAppWith(express, readingRoute, {
        registry: passRestV2Registry,
        statusCodes: { 400: 'invalid_parameter_resources' },
        maxItems: 1,
      });
      const invalid = await request(app).post('/resources').send({ resources: null }).expect(400);
      expect(invalid.body.code).toBe('invalid_parameter_resources');
      const tooMany = await request(app)
        .post('/resources')
        .send({ resources: ['a', 'b'] })
        .expect(403);
      expect(tooMany.body.message).toBe(passRestV2Registry.get('too_many_resources').message);
    });

    it("answers the registry's own 400 when the registry lacks too_many_resources", async () => {
      const registry = createRegistry(
        { bad_request: { action: 'none', status: 400, message: 'Bad.' }, ...genericErrorCodes },
        { name: 'tiny', fallbacks: genericFallbacks },
      );
      const app = itemsAppWith(express, readingRoute, { registry, maxItems: 1 });
      const res = await request(app)
        .post('/resources')
        .send({ resources: ['a', 'b'] })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'bad_request', status: 400, details: 'The request has 2 resources; at most 1 are allowed.' });
    });
  });

  describe('negotiation considers only formatters that write items', () => {
    const textFormatter: Formatter = {
      mediaTypes: ['text/plain'],
      contentType: 'text/plain; charset=utf-8',
      formatError: (envelope) => `${envelope.status} ${envelope.code}`,
    };
    const route = itemsRoute(() => [{ id: 'a', error: passRegistry.create('authorization_not_found') }]);

    it('falls back to an item formatter when the default one cannot write items', async () => {
      const app = itemsAppWith(
        express,
        {
          ...route,
          '/top': () => () => {
            throw passRegistry.create('authorization_not_found');
          },
        },
        { formatters: [textFormatter, xmlFormatter, jsonFormatter], defaultType: 'text/plain' },
      );
      const top = await request(app).get('/top').expect(404);
      expect(top.text).toBe('404 authorization_not_found');
      const plain = await request(app).post('/items').set('Accept', 'text/plain').expect(200);
      expect(plain.headers['content-type']).toBe('application/xml; charset=utf-8');
      const json = await request(app).post('/items').set('Accept', 'application/json').expect(200);
      expect(json.body.resources[0].error.code).toBe('authorization_not_found');
    });

    it('with no item formatter at all, sendItems fails and the handler answers 500', async () => {
      const { reported, onError } = recorder();
      const app = itemsAppWith(express, route, { formatters: [textFormatter], defaultType: 'text/plain', onError });
      const res = await request(app).post('/items').expect(500);
      expect(res.text).toBe('500 internal_error');
      expect(String(reported[0]?.error.cause)).toContain('no configured formatter implements formatItems');
    });
  });

  it('writes item fields to XML by the documented rules, and they parse back', async () => {
    const fields = {
      id: 'a<&>"\'b',
      lines: 'one\r\ntwo\u0000',
      count: 3,
      ratio: 0.25,
      huge: 1e21,
      authorized: false,
      none: null,
      empty: '',
      tags: ['x', 'y'],
      noTags: [],
      token: { issuedAt: 1, nested: { deep: true } },
      grid: [{ at: 1 }, [2, 3]],
    };
    const app = itemsAppWith(
      express,
      itemsRoute(() => [{ ...fields, skipped: undefined }]),
    );
    const res = await request(app).post('/items').set('Accept', 'application/xml').expect(200);
    expect(() => parseXml(res.text)).not.toThrow();
    expect(res.text).toContain(
      '<item><id>a&lt;&amp;&gt;"\'b</id><lines>one&#xD;\ntwo\uFFFD</lines><count>3</count><ratio>0.25</ratio><huge>1e+21</huge>' +
        '<authorized>false</authorized><none/><empty></empty><tags><value>x</value><value>y</value></tags><noTags/>' +
        '<token><issuedAt>1</issuedAt><nested><deep>true</deep></nested></token>' +
        '<grid><value><at>1</at></value><value><value>2</value><value>3</value></value></grid></item>',
    );
    expect(parsedItems(res.text).resources.item).toEqual([
      {
        id: 'a<&>"\'b',
        lines: 'one\r\ntwo\uFFFD',
        count: '3',
        ratio: '0.25',
        huge: '1e+21',
        authorized: 'false',
        none: '',
        empty: '',
        tags: { value: ['x', 'y'] },
        noTags: '',
        token: { issuedAt: '1', nested: { deep: 'true' } },
        grid: { value: [{ at: '1' }, { value: ['2', '3'] }] },
      },
    ]);
    const json = await request(app).post('/items').expect(200);
    expect(json.text).toBe(JSON.stringify({ resources: [fields] }));
  });

  describe("a route's wrong items are its own failure: 500 through the handler, with a clear cause", () => {
    const cycle: Record<string, unknown> = { id: 'c' };
    cycle.self = cycle;
    it.each([
      ['an item that is not an object', () => ['TestStream1'], 'items[0] must be a plain object, got string', 'json'],
      ['a Date field', () => [{ id: 'a', at: new Date(0) }], 'items[0].at must be JSON data', 'json'],
      ['a field that is NaN', () => [{ id: 'a', n: Number.NaN }], 'items[0].n must be a finite number', 'json'],
      ['a cycle', () => [cycle], 'items[0].self refers back to itself', 'json'],
      ['a field name XML cannot carry', () => [{ 'two words': 1 }], '"two words" is not usable as an element name', 'xml'],
    ] as const)('%s', async (_case, makeItems, cause, format) => {
      const { reported, onError } = recorder();
      const app = itemsAppWith(express, itemsRoute(makeItems as () => object[]), { onError });
      const res = await request(app).post('/items').set('Accept', `application/${format}`).expect(500);
      expect(res.text).toContain('internal_error');
      expect(res.text).not.toContain(cause);
      expect(String(reported[0]?.error.cause)).toContain(cause);
    });

    it.each([
      ['xmlbuilder2 refuses it', 'two words', /./],
      ['it has a prefix', 'a:b', /empty or prefixed name/],
    ])('an XML element name refused because %s keeps the reason as its cause', async (_case, name, reason) => {
      const { reported, onError } = recorder();
      const app = itemsAppWith(
        express,
        itemsRoute(() => [{ [name]: 1 }]),
        { onError },
      );
      await request(app).post('/items').set('Accept', 'application/xml').expect(500);
      const refusal = reported[0]?.error.cause;
      expect(refusal).toBeInstanceOf(TypeError);
      const reasonError = (refusal as TypeError).cause;
      expect(reasonError).toBeInstanceOf(Error);
      expect((reasonError as Error).message).toMatch(reason);
    });
  });
});

describe('planRetry', () => {
  it('turns Retry-After dates into seconds from now and keeps the largest', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const items = [
      { id: 'date', error: passRegistry.create('too_many_requests', { retryAfter: new Date(now + 91_000) }) },
      { id: 'seconds', error: passRegistry.create('too_many_requests', { retryAfter: 60 }) },
      { id: 'past', error: passRegistry.create('too_many_requests', { retryAfter: new Date(now - 5000) }) },
    ];
    expect(planRetry(items, { now })).toEqual({ items, retryAfter: 91 });
    expect(planRetry(items.slice(2), { now }).retryAfter).toBe(0);
  });

  it('ignores items without an error or with an unknown action, and refuses a bad default', () => {
    const items = [{ id: 'a' }, { id: 'b', error: { action: 'reboot' } }, { id: 'c', error: 'retry' }, null, 7];
    expect(planRetry(items)).toEqual({ items: [], retryAfter: undefined });
    expect(() => planRetry(items, { retryAfter: -1 })).toThrow('non-negative integer');
  });

  it('checks maxItems at start-up', () => {
    for (const maxItems of [0, -1, 1.5, Number.NaN]) {
      expect(() => enhancedErrorHandlerWithItems({ maxItems })).toThrow('maxItems option must be a positive integer or Infinity');
    }
    expect(() => enhancedErrorHandlerWithItems({ maxItems: Infinity })).not.toThrow();
  });
});

describe.each(express5Only)('a large item response (%s)', (_name, express) => {
  // Texts of 1 to 4 UTF-8 bytes a character, of varying lengths, so that the body's parts
  // (encoded a group at a time) end at every kind of character boundary.
  const TEXTS = ['plain', 'é', '資源 & <x>', '🎬 live', 'a\u2028b', '"quoted"'];
  const COUNT = 1500;
  const made = () =>
    Array.from({ length: COUNT }, (_, index) => ({
      id: `resource-${index}`,
      title: (TEXTS[index % TEXTS.length] as string).repeat(1 + (index % 7)),
      ...(index % 4 === 3 ? { error: passRegistry.create('authorization_denied_by_mvpd') } : {}),
    }));
  const app = itemsAppWith(
    express,
    { '/items': (errors) => (req: Request, res: Response) => errors.sendItems(req, res, { collection: 'resources', items: made() }) },
    { maxItems: Infinity },
  );

  async function fetchBytes(accept: string): Promise<{ bytes: Buffer; contentLength: number; trace: string }> {
    const server = await serveOnLoopback(app);
    try {
      const response = await fetch(`${server.url}/items`, { headers: { accept } });
      expect(response.status).toBe(200);
      return {
        bytes: Buffer.from(await response.arrayBuffer()),
        contentLength: Number(response.headers.get('content-length')),
        trace: String(response.headers.get('x-request-id')),
      };
    } finally {
      await server.close();
    }
  }

  it('JSON: the exact bytes of one JSON document, and its Content-Length', async () => {
    const { bytes, contentLength } = await fetchBytes('application/json');
    expect(bytes.length).toBeGreaterThan(16384 * 4);
    expect(contentLength).toBe(bytes.length);
    const body = bytes.toString('utf8');
    const { resources } = JSON.parse(body) as { resources: WireItem[] };
    const error = resources[3]?.error;
    expect(error?.code).toBe('authorization_denied_by_mvpd');
    // Independent of the formatter: the same items, written by one JSON.stringify.
    const expected = JSON.stringify({ resources: made().map((item) => ('error' in item ? { ...item, error } : item)) });
    expect(body === expected).toBe(true);
  });

  it('XML: the exact bytes of the reference document, and its Content-Length', async () => {
    const { bytes, contentLength } = await fetchBytes('application/xml');
    expect(bytes.length).toBeGreaterThan(16384 * 4);
    expect(contentLength).toBe(bytes.length);
    const body = bytes.toString('utf8');
    const trace = /<trace>([^<]+)<\/trace>/.exec(body)?.[1];
    const helpUrl = /<helpUrl>([^<]+)<\/helpUrl>/.exec(body)?.[1];
    const entry = passRegistry.get('authorization_denied_by_mvpd');
    expect(trace).toBeDefined();
    const error = { action: entry.action, status: entry.status, code: entry.code, message: entry.message, helpUrl, trace: trace as string };
    const expected = itemsDocument(
      'resources',
      made().map(({ error: failed, ...fields }) => (failed === undefined ? { fields } : { fields, error })),
    );
    expect(body === expected).toBe(true);
  });
});
