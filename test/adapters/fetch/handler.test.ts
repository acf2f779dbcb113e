import { getRequestListener } from '@hono/node-server';
import { createRegistry, EnhancedError, genericErrorCodes, passRegistry } from '../../../src';
import { fetchErrorHandler, requestIdsOf, toResponse, type FetchErrorContext } from '../../../src/adapters/fetch';
import type { Formatter } from '../../../src/core/formats';
import { startServer, type TestServer } from '../../support/http-client';

const limited = createRegistry({
  ...genericErrorCodes,
  slow_down: { status: 429, action: 'retry-after', message: 'Slow down.', retryAfter: 7 },
});

/** A Request as the runtime would hand it to a fetch handler. */
const requestTo = (path: string, headers: Record<string, string> = {}) => new Request(`http://localhost${path}`, { headers });

describe('fetchErrorHandler over real HTTP on Node (a fetch handler behind @hono/node-server)', () => {
  let server: TestServer;
  const told: FetchErrorContext[] = [];
  const errors = fetchErrorHandler({ registry: limited, onError: (_error, context) => told.push(context), generateTrace: () => 'trace-1' });

  beforeAll(async () => {
    server = await startServer(
      getRequestListener((request) => {
        const path = new URL(request.url).pathname;
        if (path === '/slow') return errors.toResponse(limited.create('slow_down'), request);
        if (path === '/boom') return errors.toResponse(new TypeError('secret detail'), request);
        if (path === '/items') {
          return errors.itemsResponse(request, {
            collection: 'decisions',
            items: [{ id: 1 }, { id: 2, error: limited.create('slow_down') }],
          });
        }
        return errors.notFound(request);
      }),
    );
  });
  afterAll(() => server.close());

  it('answers a registry error with its status, Retry-After, Vary, the echoed request id and the envelope', async () => {
    const response = await server.send({ path: '/slow', headers: { 'x-request-id': 'req-1' } });
    expect(response.status).toBe(429);
    expect(response.headers).toMatchObject({
      'retry-after': '7',
      'content-type': 'application/json; charset=utf-8',
      vary: 'Accept',
      'x-request-id': 'req-1',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    expect(response.headers['content-length']).toBe(String(response.body.length));
    expect(JSON.parse(response.body.toString())).toEqual({
      action: 'retry-after',
      status: 429,
      code: 'slow_down',
      message: 'Slow down.',
      trace: 'trace-1',
    });
    expect(told.at(-1)).toMatchObject({ requestId: 'req-1', trace: 'trace-1', envelope: { code: 'slow_down' } });
  });

  it('negotiates XML, redacts a thrown TypeError and never echoes an unsafe request id', async () => {
    const response = await server.send({ path: '/boom', headers: { accept: 'application/xml', 'x-request-id': 'bad id\u00e9' } });
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const body = response.body.toString();
    expect(body).toContain('<code>server_error</code>');
    expect(body).not.toContain('secret detail');
  });

  it('answers a partial success with the item error and the wait in Retry-After', async () => {
    const response = await server.send({ path: '/items' });
    expect(response.status).toBe(200);
    expect(response.headers['retry-after']).toBe('7');
    expect(JSON.parse(response.body.toString())).toEqual({
      decisions: [
        { id: 1 },
        { id: 2, error: { action: 'retry-after', status: 429, code: 'slow_down', message: 'Slow down.', trace: 'trace-1' } },
      ],
    });
  });

  it('answers an unknown path with the registry’s 404', async () => {
    const response = await server.send({ path: '/nowhere' });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body.toString())).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('toResponse', () => {
  it('keeps one request id and trace per Request: a second answer and requestIdsOf give the same', async () => {
    const request = requestTo('/', { 'x-request-id': 'abc' });
    expect(requestIdsOf(request)).toBeUndefined();
    const first = toResponse(new Error('x'), request, { log: false });
    const ids = requestIdsOf(request);
    expect(ids?.requestId).toBe('abc');
    const second = toResponse(passRegistry.create('not_found'), request, { log: false });
    expect(((await second.json()) as { trace: string }).trace).toBe(((await first.json()) as { trace: string }).trace);
    expect(requestIdsOf(request)).toEqual(ids);
  });

  it('builds the handler once per options object and checks the options when first used', () => {
    const calls: string[] = [];
    const options = { log: false, generateTrace: () => (calls.push('trace'), 't') };
    toResponse(new Error('a'), requestTo('/'), options);
    toResponse(new Error('b'), requestTo('/'), options);
    expect(calls).toEqual(['trace', 'trace']);
    expect(() => toResponse(new Error('c'), requestTo('/'), { retryAfter: -1 })).toThrow(
      'retryAfter option must be a non-negative integer',
    );
    expect(() => fetchErrorHandler({ onError: 'nope' as never })).toThrow('onError option must be a function');
    expect(() => fetchErrorHandler(null as never)).toThrow('options must be an object');
    expect(() => fetchErrorHandler('strict' as never)).toThrow('options must be an object');
  });

  it('never throws: an unreadable request gets the prebuilt 500', async () => {
    const response = toResponse(new Error('x'), {} as Request, { log: false });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ status: 500, code: 'internal_error' });
  });

  it('answers with the prebuilt 500 when a formatter throws, and says so', async () => {
    const lines: unknown[][] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args));
    try {
      const broken: Formatter = {
        mediaTypes: ['application/json'],
        contentType: 'application/json',
        formatError: () => {
          throw new Error('formatter broke');
        },
      };
      const response = toResponse(
        new EnhancedError({ status: 400, code: 'bad_request', message: 'Bad.', action: 'none' }),
        requestTo('/'),
        {
          formatters: [broken],
        },
      );
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ code: 'internal_error' });
      expect(lines.map(([line]) => line)).toEqual(['express-enhanced-errors: the error handler failed']);
    } finally {
      spy.mockRestore();
    }
  });

  it('logs a 5xx with method, path (no query) and ids by default, nothing with log: false, and survives a throwing onError', () => {
    const lines: unknown[][] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args));
    try {
      const thrown = new Error('db down');
      toResponse(thrown, requestTo('/orders?token=secret', { 'x-request-id': 'r1' }), { generateTrace: () => 't1' });
      toResponse(new Error('quiet'), requestTo('/'), { log: false });
      toResponse(passRegistry.create('not_found'), requestTo('/'), { generateTrace: () => 't2' });
      toResponse(new Error('x'), requestTo('/'), {
        onError: () => {
          throw new Error('onError broke');
        },
      });
      toResponse(new Error('long'), requestTo(`/${'a'.repeat(3000)}`), { generateTrace: () => 't3' });
      expect(lines).toEqual([
        ['express-enhanced-errors: 500 internal_error GET /orders trace=t1 requestId=r1', thrown],
        ['express-enhanced-errors: onError threw', expect.objectContaining({ message: 'onError broke' })],
        [expect.stringMatching(new RegExp(`^express-enhanced-errors: 500 internal_error GET /a{2047} trace=t3 `)), expect.any(Error)],
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('builds the handler once per options object: its options are read once', () => {
    let reads = 0;
    const options = {
      log: false,
      get registry() {
        reads += 1;
        return passRegistry;
      },
    };
    toResponse(new Error('a'), requestTo('/'), options);
    const afterFirst = reads;
    toResponse(new Error('b'), requestTo('/'), options);
    expect(afterFirst).toBeGreaterThan(0);
    expect(reads).toBe(afterFirst);
  });

  it('checks log and onError when built', () => {
    expect(() => fetchErrorHandler({ log: 'yes' as never })).toThrow('log option must be a boolean');
  });

  it('says on the console that an unreadable request got the prebuilt 500, and nothing with log: false', () => {
    const lines: unknown[][] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args));
    try {
      toResponse(new Error('x'), {} as Request);
      expect(lines.map(([line]) => line)).toEqual(['express-enhanced-errors: the error handler failed']);
      toResponse(new Error('x'), {} as Request, { log: false });
      expect(lines).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('reports nothing to onError for the prebuilt 500 of a broken formatter', () => {
    const reported: string[] = [];
    const broken: Formatter = {
      mediaTypes: ['application/json'],
      contentType: 'application/json',
      formatError: () => {
        throw new Error('formatter broke');
      },
    };
    const response = toResponse(new Error('x'), requestTo('/'), {
      formatters: [broken],
      log: false,
      onError: (error) => void reported.push(error.code),
    });
    expect(response.status).toBe(500);
    expect(reported).toEqual([]);
  });

  it('logs a code of another registry answered with its own, once', () => {
    const lines: unknown[][] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args));
    try {
      const foreign = new EnhancedError({ status: 403, code: 'not_in_the_registry', message: 'No.', action: 'none' });
      const response = toResponse(foreign, requestTo('/'), { generateTrace: () => 't' });
      expect(response.status).toBe(403);
      expect(lines).toHaveLength(1);
      expect(String(lines[0]?.[0])).toMatch(/^express-enhanced-errors: .*not_in_the_registry/);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers items in XML, the parts joined; a status without a reason phrase gets none', async () => {
    const errors = fetchErrorHandler({ log: false, generateTrace: () => 't' });
    const response = errors.itemsResponse(requestTo('/', { accept: 'application/xml' }), {
      collection: 'decisions',
      items: [{ id: 1 }, { id: 2, error: passRegistry.create('not_found') }],
    });
    expect(response.status).toBe(200);
    expect(response.statusText).toBe('OK');
    const body = await response.text();
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><decisions><item><id>1<\/id><\/item><item><id>2<\/id><error>/);
    expect(body).toMatch(/<\/error><\/item><\/decisions>$/);
    expect(() => errors.itemsResponse(requestTo('/'), { collection: 'decisions', items: 'no' as never })).toThrow(
      'itemsResponse: items must be an array',
    );
    expect(errors.toResponse(passRegistry.create('too_many_requests'), requestTo('/')).statusText).toBe('Too Many Requests');
    const unnamed = toResponse(new EnhancedError({ status: 499, code: 'client_error', message: 'No.', action: 'none' }), requestTo('/'), {
      log: false,
    });
    expect([unnamed.status, unnamed.statusText]).toEqual([499, '']);
  });

  it('reads items and refuses a list too long with the registry’s error', () => {
    const { readItems } = fetchErrorHandler({ maxItems: 2, log: false });
    expect(readItems([1, 2], 'resources')).toEqual([1, 2]);
    expect(() => readItems([1, 2, 3], 'resources')).toThrow(expect.objectContaining({ code: 'too_many_resources' }));
    expect(() => readItems('x', 'resources')).toThrow(expect.objectContaining({ status: 400 }));
  });
});
