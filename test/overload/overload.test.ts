import http from 'node:http';
import createHttpError from 'http-errors';
import type { Express, RequestHandler } from 'express';
import { createRegistry, enhancedErrorHandler, type EnhancedErrorHandlerOptions, passRegistry } from '../../src';
import { passMessagesFr, passRestV2Registry, vimondRegistry, vimondStatusCodes } from '../../src/core/catalogs';
import {
  type Formatter,
  jsonFormatter,
  problemJsonFormatter,
  problemXmlFormatter,
  vimondFormatter,
  xmlFormatter,
} from '../../src/core/formats';
import { loadShedding, type LoadReadings, type LoadShedding, type LoadSheddingOptions } from '../../src/overload';
import { express5Only, type ExpressFactory, okApp } from '../support/apps';
import { SPEC_HELP_URL } from '../support/item-apps';
import { type Loopback, serveOnLoopback } from '../support/loopback';

/** Every middleware made in a test, stopped after it: jest must exit with no timer left. */
const started: LoadShedding[] = [];
function shedding(options: LoadSheddingOptions): LoadShedding {
  const made = loadShedding({ log: false, ...options });
  started.push(made);
  return made;
}
afterEach(() => {
  for (const made of started.splice(0)) made.stop();
});

/** A sampler the test sets, read on a short interval: overload without timing. */
function settableSampler() {
  let readings: LoadReadings | undefined = { heapUsedBytes: 10 };
  return {
    set(next: LoadReadings | undefined) {
      readings = next;
    },
    sample: () => readings,
  };
}

/** Waits for a condition the middleware reaches by itself (its next reading); fails after 5 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Shedding first, then the routes, then the handler, all with the same options. */
function appWithShedding(
  express: ExpressFactory,
  middleware: LoadShedding,
  options: EnhancedErrorHandlerOptions,
  routes: Record<string, RequestHandler> = {},
): Express {
  const app = express();
  app.get('/health', (_req, res) => {
    res.json(middleware.state());
  });
  app.use(middleware);
  app.get('/ok', (_req, res) => {
    res.send('ok');
  });
  app.all('/unavailable', () => {
    throw createHttpError(503, 'database pool exhausted');
  });
  for (const [path, handler] of Object.entries(routes)) app.get(path, handler);
  app.use(enhancedErrorHandler({ log: false, ...options }));
  return app;
}

/** A route that holds the event loop for `milliseconds`, as a CPU-bound handler does. */
function burnRoute(milliseconds: number): RequestHandler {
  return (_req, res) => {
    const until = performance.now() + milliseconds;
    while (performance.now() < until);
    res.send('done');
  };
}

/** One GET on the agent's keep-alive connections; resolves with the status once the body is read. */
function get(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

/** What the code writes to stderr while `body` runs; nothing reaches the real stderr meanwhile. */
async function stderrDuring(body: () => Promise<void>): Promise<string> {
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await body();
    return write.mock.calls.map((call) => String(call[0])).join('');
  } finally {
    write.mockRestore();
  }
}

const withoutTrace = (body: string, trace: string | undefined) => (trace === undefined ? body : body.split(trace).join('TRACE'));

describe.each(express5Only)('load shedding on %s', (_name, express) => {
  let server: Loopback | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  async function serve(app: Express): Promise<string> {
    server = await serveOnLoopback(app);
    return server.url;
  }

  it('sheds past maxInFlight with the envelope and Retry-After, and admits again once under', async () => {
    let release!: () => void;
    let entered!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const inRoute = new Promise<void>((resolve) => (entered = resolve));
    const middleware = shedding({ maxInFlight: 1, maxEventLoopDelay: false, maxHeapUsedBytes: false });
    const url = await serve(
      appWithShedding(
        express,
        middleware,
        {},
        {
          '/held': async (_req, res) => {
            entered();
            await held;
            res.send('held');
          },
        },
      ),
    );
    const first = fetch(`${url}/held`);
    await inRoute;

    const shed = await fetch(`${url}/ok`, { headers: { 'x-request-id': 'abc-123' } });
    expect(shed.status).toBe(503);
    expect(shed.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(shed.headers.get('cache-control')).toBe('no-store');
    expect(shed.headers.get('vary')).toBe('Accept');
    expect(shed.headers.get('x-request-id')).toBe('abc-123');
    // Twice the limit (2 of 1): the most, which jitter never passes.
    expect(shed.headers.get('retry-after')).toBe('30');
    const body = await shed.json();
    expect(body).toEqual({
      action: 'none',
      status: 503,
      code: 'service_unavailable',
      message: passRegistry.get('service_unavailable').message,
      helpUrl: SPEC_HELP_URL,
      trace: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(shed.headers.get('content-length')).toBe(String(Buffer.byteLength(JSON.stringify(body))));
    const health = await (await fetch(`${url}/health`)).json();
    expect(health).toMatchObject({ overloaded: true, limit: 'inFlight', inFlight: 1, shed: 1, monitor: 'ok' });

    release();
    expect(await (await first).text()).toBe('held');
    await until(() => middleware.state().inFlight === 0);
    const admitted = await fetch(`${url}/ok`);
    expect(admitted.status).toBe(200);
    expect(middleware.state()).toMatchObject({ overloaded: false, limit: undefined, inFlight: 0, shed: 1 });
  });

  it('sheds while a reading is over its limit, with a Retry-After that grows with the overshoot, and admits once under', async () => {
    const sampler = settableSampler();
    const middleware = shedding({
      sampler: sampler.sample,
      sampleInterval: 5,
      maxHeapUsedBytes: 100,
      maxEventLoopDelay: 50,
      minRetryAfter: 2,
      maxRetryAfter: 20,
    });
    const url = await serve(appWithShedding(express, middleware, {}));
    expect((await fetch(`${url}/ok`)).status).toBe(200);

    sampler.set({ heapUsedBytes: 150, eventLoopDelayMs: 10 });
    await until(() => middleware.state().overloaded);
    expect(middleware.state()).toMatchObject({ limit: 'heapUsed', pressure: 1.5, readings: { heapUsedBytes: 150, eventLoopDelayMs: 10 } });
    // Half-way to twice the limit: 2 + 18 × 0.5 = 11 seconds, spread by up to half again.
    const waits = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const response = await fetch(`${url}/ok`);
        expect(response.status).toBe(503);
        return Number(response.headers.get('retry-after'));
      }),
    );
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(11);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(17);
    expect(new Set(waits).size).toBeGreaterThan(1);

    sampler.set({ heapUsedBytes: 10, eventLoopDelayMs: 500 });
    await until(() => middleware.state().limit === 'eventLoopDelay');
    // Ten times the limit: the most, and no jitter past it.
    expect((await fetch(`${url}/ok`)).headers.get('retry-after')).toBe('20');

    sampler.set({ heapUsedBytes: 10, eventLoopDelayMs: 10 });
    await until(() => !middleware.state().overloaded);
    expect((await fetch(`${url}/ok`)).status).toBe(200);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const sampler = settableSampler();
    sampler.set({ rssBytes: 2000 });
    const middleware = shedding({ sampler: sampler.sample, maxRssBytes: 1000 });
    const url = await serve(appWithShedding(express, middleware, {}));
    const get = await fetch(`${url}/ok`, { headers: { accept: 'application/xml' } });
    const getBody = await get.text();
    const head = await fetch(`${url}/ok`, { method: 'HEAD', headers: { accept: 'application/xml' } });
    expect(head.status).toBe(503);
    expect(await head.text()).toBe('');
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(getBody)));
    expect(head.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  const formats: [string, EnhancedErrorHandlerOptions, string[]][] = [
    [
      'Pass, JSON/XML/problem',
      { formatters: [jsonFormatter, xmlFormatter, problemJsonFormatter, problemXmlFormatter] },
      ['application/json', 'application/xml', 'text/xml', 'application/problem+json', 'application/problem+xml', '*/*', 'image/png'],
    ],
    [
      'Vimond',
      { registry: vimondRegistry, statusCodes: vimondStatusCodes, formatters: [vimondFormatter, xmlFormatter] },
      ['application/json', 'application/xml'],
    ],
    [
      'Pass in French',
      { registry: createRegistry(passRegistry.definitions, { messages: { fr: passMessagesFr } }) },
      ['application/json', 'application/xml'],
    ],
    // REST API v2 has no 503 code of its own: the canonical table's service_unavailable, added by this library.
    ['REST API v2', { registry: passRestV2Registry, formatters: [jsonFormatter, xmlFormatter] }, ['application/json', 'application/xml']],
  ];
  it.each(formats)('answers exactly what the handler answers for a thrown 503 (%s)', async (_label, options, accepts) => {
    const middleware = shedding({ ...options, sampler: () => ({ eventLoopDelayMs: 1000 }), helpUrl: 'https://example.com/errors' });
    const url = await serve(appWithShedding(express, middleware, {}));
    const handlerOnly = await serveOnLoopback(
      appWithShedding(express, shedding({ maxEventLoopDelay: false, maxHeapUsedBytes: false }), {
        ...options,
        helpUrl: 'https://example.com/errors',
      }),
    );
    try {
      for (const accept of accepts) {
        for (const language of [undefined, 'fr-CA, en;q=0.5']) {
          const headers: Record<string, string> = { accept, ...(language === undefined ? {} : { 'accept-language': language }) };
          const shed = await fetch(`${url}/ok`, { headers });
          const thrown = await fetch(`${handlerOnly.url}/unavailable`, { headers });
          const [shedBody, thrownBody] = await Promise.all([shed.text(), thrown.text()]);
          expect(shed.status).toBe(503);
          expect(thrown.status).toBe(503);
          for (const name of ['content-type', 'content-length', 'content-language', 'vary', 'cache-control', 'x-content-type-options']) {
            expect([name, shed.headers.get(name)]).toEqual([name, thrown.headers.get(name)]);
          }
          expect(withoutTrace(shedBody, trace(shedBody))).toBe(withoutTrace(thrownBody, trace(thrownBody)));
          expect(shed.headers.get('retry-after')).toBe('30');
        }
      }
    } finally {
      await handlerOnly.close();
    }
  });

  it('fails open when the sampler throws or returns garbage, and sheds again when it recovers', async () => {
    let behaviour: 'over' | 'throw' | 'garbage' = 'over';
    const middleware = shedding({
      sampleInterval: 5,
      maxEventLoopDelay: 100,
      sampler: () => {
        if (behaviour === 'throw') throw new Error('sampler broke');
        if (behaviour === 'garbage') return { eventLoopDelayMs: Number.NaN };
        return { eventLoopDelayMs: 400 };
      },
    });
    const url = await serve(appWithShedding(express, middleware, {}));
    expect((await fetch(`${url}/ok`)).status).toBe(503);
    for (const broken of ['throw', 'garbage'] as const) {
      behaviour = broken;
      await until(() => middleware.state().monitor === 'failed');
      expect(middleware.state()).toMatchObject({ overloaded: false, readings: {} });
      expect((await fetch(`${url}/ok`)).status).toBe(200);
      behaviour = 'over';
      await until(() => middleware.state().monitor === 'ok');
      expect((await fetch(`${url}/ok`)).status).toBe(503);
    }
  });

  it('fails open when the monitor stops reporting', async () => {
    const over = () => ({ eventLoopDelayMs: 400 });
    // Read once at start-up, then not for a day: fresh for a day with one staleAfter, stale after 1 ms with the other.
    const fresh = shedding({ sampler: over, sampleInterval: 86_400_000, staleAfter: 86_400_000 });
    const stalled = shedding({ sampler: over, sampleInterval: 86_400_000, staleAfter: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const freshUrl = await serve(appWithShedding(express, fresh, {}));
    expect((await fetch(`${freshUrl}/ok`)).status).toBe(503);
    await server?.close();
    const url = await serve(appWithShedding(express, stalled, {}));
    expect((await fetch(`${url}/ok`)).status).toBe(200);
    expect(stalled.state()).toMatchObject({ overloaded: false, monitor: 'stale', readings: { eventLoopDelayMs: 400 } });
  });

  it('sheds nothing by readings once stopped', async () => {
    const middleware = shedding({ sampler: () => ({ heapUsedBytes: 1e12 }) });
    const url = await serve(appWithShedding(express, middleware, {}));
    expect((await fetch(`${url}/ok`)).status).toBe(503);
    middleware.stop();
    expect((await fetch(`${url}/ok`)).status).toBe(200);
    expect(middleware.state().monitor).toBe('stopped');
  });

  it('reports shed requests to onError at most once per reportInterval', async () => {
    const reports: { code: string; status: number; trace: string; cause: string }[] = [];
    const middleware = shedding({
      sampler: () => ({ heapUsedBytes: 1e12 }),
      reportInterval: 60_000,
      onError: (error, context) => {
        reports.push({ code: context.envelope.code, status: context.envelope.status, trace: context.trace, cause: String(error.cause) });
      },
    });
    const url = await serve(appWithShedding(express, middleware, {}));
    const traces: string[] = [];
    for (let index = 0; index < 5; index++) traces.push(((await (await fetch(`${url}/ok`)).json()) as { trace: string }).trace);
    expect(reports).toEqual([
      {
        code: 'service_unavailable',
        status: 503,
        trace: traces[0],
        cause: expect.stringMatching(/heapUsed at [\d.]+× its limit; 0 more shed/),
      },
    ]);
    expect(middleware.state().shed).toBe(5);
  });

  it('sheds the rest of a long loop iteration at once, before the next reading', async () => {
    // No reading for a day: only the heartbeat's lateness can shed here.
    const middleware = shedding({ maxEventLoopDelay: 40, sampleInterval: 86_400_000, maxHeapUsedBytes: false });
    const url = await serve(appWithShedding(express, middleware, {}, { '/burn': burnRoute(30) }));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    try {
      await Promise.all(Array.from({ length: 6 }, () => get(agent, `${url}/ok`)));
      // Six requests written in one tick reach the server in one poll: one iteration runs them back to back.
      const statuses = await Promise.all(Array.from({ length: 6 }, () => get(agent, `${url}/burn`)));
      const admitted = statuses.filter((status) => status === 200).length;
      const shed = statuses.filter((status) => status === 503).length;
      expect(admitted + shed).toBe(6);
      // 30 ms each against a 40 ms limit: the first one or two run, the rest find the loop over 40 ms late.
      expect(admitted).toBeGreaterThanOrEqual(1);
      expect(shed).toBeGreaterThanOrEqual(3);
      // Once the iteration is over the heartbeat beats again, and requests are admitted.
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(await get(agent, `${url}/ok`)).toBe(200);
      expect(middleware.state()).toMatchObject({ overloaded: false, eventLoopLagMs: expect.any(Number) });

      middleware.stop();
      const afterStop = await Promise.all(Array.from({ length: 6 }, () => get(agent, `${url}/burn`)));
      expect(afterStop).toEqual([200, 200, 200, 200, 200, 200]);
      expect(middleware.state().eventLoopLagMs).toBeUndefined();
    } finally {
      agent.destroy();
    }
  });

  // The shedder's own faults go to stderr while logging is on, and nowhere with log: false, onError or not.
  const logging: [string, LoadSheddingOptions, boolean][] = [
    ['log: false', { log: false }, false],
    ['log: false and an onError', { log: false, onError: () => {} }, false],
    ['logging on', { log: true }, true],
    ['an onError and logging on', { log: true, onError: () => {} }, true],
  ];

  it.each(logging)('tells stderr that the monitor failed once, with %s', async (_label, options, told) => {
    const written = await stderrDuring(async () => {
      const middleware = shedding({
        ...options,
        sampleInterval: 5,
        sampler: () => {
          throw new Error('sampler broke');
        },
      });
      const url = await serve(appWithShedding(express, middleware, {}));
      expect((await fetch(`${url}/ok`)).status).toBe(200);
      expect(middleware.state().monitor).toBe('failed');
      // A few more failed readings: still one line.
      await new Promise((resolve) => setTimeout(resolve, 30));
    });
    const line = 'express-enhanced-errors: the load monitor failed; load shedding by its readings is off until it recovers\n';
    expect(written).toBe(told ? line : '');
  });

  it.each(logging)(
    'tells stderr that a formatter broke the shed answer, and admits the request, with %s',
    async (_label, options, told) => {
      let broken = false;
      // Sound at start-up, when the answers are built; throws once requests come.
      const fragileXml: Formatter = {
        mediaTypes: xmlFormatter.mediaTypes,
        contentType: xmlFormatter.contentType,
        formatError: (envelope) => xmlFormatter.formatError(envelope),
        get explicitOnly() {
          if (broken) throw new Error('formatter bug');
          return false;
        },
      };
      const written = await stderrDuring(async () => {
        const middleware = shedding({ ...options, formatters: [jsonFormatter, fragileXml], sampler: () => ({ heapUsedBytes: 1e12 }) });
        broken = true;
        const url = await serve(appWithShedding(express, middleware, {}));
        expect(middleware.state().overloaded).toBe(true);
        const admitted = await fetch(`${url}/ok`, { headers: { accept: 'application/xml' } });
        expect([admitted.status, await admitted.text()]).toEqual([200, 'ok']);
      });
      expect(written).toBe(told ? 'express-enhanced-errors: shedding a request failed: formatter bug\n' : '');
    },
  );

  it('sheds before the framework when wrapping the app', async () => {
    const middleware = shedding({ sampler: () => ({ heapUsedBytes: 1e12 }) });
    server = await serveOnLoopback(middleware.wrap(okApp(express)));
    const response = await fetch(`${server.url}/ok`, { headers: { accept: 'application/xml' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(await response.text()).toContain('<code>service_unavailable</code>');
  });
});

/** The trace of a body in any of the formats, or undefined (Vimond's has none). */
function trace(body: string): string | undefined {
  return /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(body)?.[0];
}

describe('loadShedding options, checked at start-up', () => {
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ maxInFlight: 0 }, /maxInFlight option must be a positive integer or false, got 0/],
    [{ maxInFlight: 1.5 }, /maxInFlight option must be a positive integer/],
    [{ maxEventLoopDelay: -1 }, /maxEventLoopDelay option must be a positive number/],
    [{ maxHeapUsedBytes: Number.NaN }, /maxHeapUsedBytes option/],
    [{ maxRssBytes: '1GB' }, /maxRssBytes option/],
    [{ sampleInterval: 0 }, /sampleInterval option must be a whole number of milliseconds above 0/],
    [{ staleAfter: 2 ** 31 }, /staleAfter option/],
    [{ reportInterval: -1 }, /reportInterval option/],
    [{ minRetryAfter: 1.5 }, /minRetryAfter option/],
    [{ minRetryAfter: 10, maxRetryAfter: 5 }, /maxRetryAfter option must be an integer of seconds, at least minRetryAfter/],
    [{ sampler: 'fast' }, /sampler option must be a function/],
    [{ code: 'nope' }, /code option: .* has no code "nope"/],
    [{ code: 'bad_request' }, /code option: code "bad_request" does not allow status 503/],
    [{ formatters: [] }, /formatters option must be a non-empty array/],
  ];
  it.each(refused.map(([options, message]) => [JSON.stringify(options).slice(0, 60), options, message] as const))(
    'refuses %s',
    (_label, options, message) => {
      expect(() => loadShedding(options as unknown as LoadSheddingOptions)).toThrow(TypeError);
      expect(() => loadShedding(options as unknown as LoadSheddingOptions)).toThrow(message);
    },
  );

  it("takes Vimond's own unavailable code and a code named explicitly", () => {
    const vimond = loadShedding({
      registry: vimondRegistry,
      statusCodes: vimondStatusCodes,
      formatters: [vimondFormatter],
      maxInFlight: 1,
      maxEventLoopDelay: false,
      maxHeapUsedBytes: false,
    });
    expect(vimond.state().limits).toEqual({ maxEventLoopDelay: false, maxHeapUsedBytes: false, maxRssBytes: false, maxInFlight: 1 });
    const named = loadShedding({ code: 'individualization_service_unavailable', maxEventLoopDelay: false, maxHeapUsedBytes: false });
    expect(named.state().monitor).toBe('ok');
  });

  it('has sane defaults: event-loop delay and heap on, RSS and in-flight off', () => {
    const defaults = loadShedding({ log: false });
    started.push(defaults);
    const { limits } = defaults.state();
    expect(limits.maxEventLoopDelay).toBe(100);
    expect(limits.maxHeapUsedBytes).toBeGreaterThan(0);
    expect(limits.maxRssBytes).toBe(false);
    expect(limits.maxInFlight).toBe(false);
  });
});
