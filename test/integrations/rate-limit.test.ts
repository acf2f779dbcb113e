import { rateLimit, type Options as RateLimitOptions } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { createClient } from 'redis';
import request from 'supertest';
import createError from 'http-errors';
import {
  createRegistry,
  type EnhancedError,
  enhancedErrorHandler,
  type EnhancedErrorHandlerOptions,
  genericErrorCodes,
  passRegistry,
} from '../../src';
import { passRestV1Registry, vimondRegistry } from '../../src/core/catalogs';
import { rateLimitHandler, rateLimitStoreGuard } from '../../src/integrations/rate-limit';
import { express5Only, type ExpressFactory } from '../support/apps';
import { asSent, BUILT_IN_SERVICES, type BuiltInRegistryName, codeSent } from '../support/built-in-services';
import { startRedis, type RedisServer } from '../support/redis';
import { parseXml, fields } from '../support/xml';

// Real servers and sockets on a shared machine: room beyond Jest's 5 s, while each request keeps its own bound.
jest.setTimeout(30_000);

const quiet = { error: () => undefined, warn: () => undefined };

interface AppOptions {
  limiter: Partial<RateLimitOptions>;
  guard?: boolean;
  /** The error handler's options, given to the store guard too. */
  options?: EnhancedErrorHandlerOptions;
}

/** An app with one rate-limited route; the limiter's options come from the test. */
function limitedApp(express: ExpressFactory, { limiter, guard = false, options = {} }: AppOptions) {
  const app = express();
  const middleware = rateLimit({ windowMs: 45_000, limit: 2, standardHeaders: 'draft-8', legacyHeaders: false, logger: quiet, ...limiter });
  app.get('/limited', guard ? rateLimitStoreGuard(middleware, options) : middleware, (_req, res) => {
    res.json({ ok: true });
  });
  app.use(enhancedErrorHandler({ log: false, ...options }));
  return app;
}

/** The `t=` (seconds to reset) of a draft-8 RateLimit header. */
function resetOf(header: string | undefined): number {
  const match = /;\s*t=(\d+)/.exec(header ?? '');
  if (!match) throw new Error(`no t= in RateLimit header ${JSON.stringify(header)}`);
  return Number(match[1]);
}

function remainingOf(header: string | undefined): number {
  const match = /r=(\d+)/.exec(header ?? '');
  if (!match) throw new Error(`no r= in RateLimit header ${JSON.stringify(header)}`);
  return Number(match[1]);
}

describe('rateLimitHandler options are checked at start-up', () => {
  it('names the option that is wrong', () => {
    expect(() => rateLimitHandler({ code: 'no_such_code' })).toThrow(
      'rateLimitHandler: passRegistry has no code "no_such_code" (code option)',
    );
    expect(() => rateLimitHandler({ keyedBy: 'ip' as 'user' })).toThrow(/keyedBy option/);
    expect(() => rateLimitHandler({ registry: {} as typeof passRegistry })).toThrow('rateLimitHandler: registry option must be a registry');
    expect(() => rateLimitStoreGuard(undefined as never)).toThrow(/limiter must be a middleware/);
    expect(() => rateLimitStoreGuard(rateLimit(), { timeoutMs: -1 })).toThrow(/timeoutMs option/);
    expect(() => rateLimitStoreGuard(rateLimit(), { code: 'nope' })).toThrow(
      'rateLimitStoreGuard: passRegistry has no code "nope" (code option)',
    );
  });

  it('names the code and the registry when a code given is not in the registry in use', () => {
    expect(() => rateLimitHandler({ registry: vimondRegistry, code: 'user_rate_limit_exceeded' })).toThrow(
      'rateLimitHandler: vimondRegistry has no code "user_rate_limit_exceeded" (code option)',
    );
    expect(() => rateLimitStoreGuard(rateLimit(), { registry: passRestV1Registry, code: 'individualization_service_unavailable' })).toThrow(
      'rateLimitStoreGuard: passRestV1Registry has no code "individualization_service_unavailable" (code option)',
    );
  });

  it("checks the handler's own options as the handler does", () => {
    expect(() => rateLimitHandler({ formatters: [] })).toThrow('rateLimitHandler: formatters option must be a non-empty array');
    expect(() => rateLimitHandler({ statusCodes: { 429: 'nope' } })).toThrow(
      'rateLimitHandler: statusCodes[429]: passRegistry has no code "nope"',
    );
    expect(() => rateLimitStoreGuard(rateLimit(), { retryAfter: -1 })).toThrow('rateLimitStoreGuard: retryAfter option');
  });

  it("refuses under strictCodes 'keep', naming the registry, a mapper that answers the 429 or the 503 with a code the registry does not have", () => {
    const keep = { registry: vimondRegistry, strictCodes: 'keep', mappers: [toPassCodes] } as const;
    expect(() => rateLimitHandler(keep)).toThrow(
      "rateLimitHandler: a thrown 429 is answered 429 user_rate_limit_exceeded, which is not a code of vimondRegistry (strictCodes 'keep' sends a mapper's code as it is): " +
        'pass the code option, or make the mapper answer a code of vimondRegistry',
    );
    expect(() => rateLimitStoreGuard(rateLimit(), keep)).toThrow(
      'rateLimitStoreGuard: a thrown 503 is answered 503 service_unavailable, which is not a code of vimondRegistry',
    );
  });
});

/** A mapper that answers a thrown 429 or 503 with passRegistry's codes, whatever the handler's registry. */
function toPassCodes(thrown: unknown): EnhancedError | undefined {
  if (!createError.isHttpError(thrown)) return undefined;
  return passRegistry.create(thrown.status === 429 ? 'user_rate_limit_exceeded' : 'service_unavailable');
}

/** The codes a service on each built-in registry answers: keyed by client, by user, and when the store fails. */
const EXPECTED: Record<BuiltInRegistryName, Record<'client' | 'user' | 'store', string>> = {
  passRegistry: { client: 'too_many_requests', user: 'user_rate_limit_exceeded', store: 'service_unavailable' },
  passRestV2Registry: { client: 'too_many_requests', user: 'too_many_requests', store: 'service_unavailable' },
  passRestV1Registry: { client: 'too_many_requests', user: 'too_many_requests', store: 'service_unavailable' },
  // Vimond's table has no rate-limit row: its code for a 429 is the generic client_error, sent as Vimond's UNKNOWN.
  vimondRegistry: { client: 'client_error', user: 'client_error', store: 'service_unavailable_1004' },
};

/** A store that never answers: only the guard's timeout ends the request. */
const stuckStore = {
  init: () => undefined,
  increment: () => new Promise<never>(() => undefined),
  decrement: () => undefined,
  resetKey: () => undefined,
};

/** A route limited through a stuck store, guarded with a 200 ms timeout; the handler's options go to the limiter's handler, the guard and the handler. */
function stuckApp(express: ExpressFactory, options: EnhancedErrorHandlerOptions = {}) {
  const app = express();
  app.get(
    '/limited',
    rateLimitStoreGuard(rateLimit({ store: stuckStore, logger: quiet, handler: rateLimitHandler(options) }), {
      ...options,
      timeoutMs: 200,
    }),
    (_req, res) => res.json({ ok: true }),
  );
  app.use(enhancedErrorHandler({ ...options, log: false }));
  return app;
}

describe.each(express5Only)('express-rate-limit with the memory store on %s', (_name, express) => {
  it('answers too_many_requests with Retry-After = seconds to the reset, keeping RateLimit headers', async () => {
    const app = limitedApp(express, { limiter: { handler: rateLimitHandler() } });
    await request(app).get('/limited').expect(200);
    await request(app).get('/limited').expect(200);
    const res = await request(app).get('/limited').expect(429);
    expect(res.body).toMatchObject({
      action: 'retry-after',
      status: 429,
      code: 'too_many_requests',
      message: passRegistry.get('too_many_requests').message,
    });
    const retryAfter = Number(res.headers['retry-after']);
    const reset = resetOf(res.headers.ratelimit);
    // Never earlier than the limiter's reset; at most a second's rounding later.
    expect(retryAfter).toBeGreaterThanOrEqual(reset);
    expect(retryAfter).toBeLessThanOrEqual(reset + 1);
    expect(retryAfter).toBeGreaterThan(40);
    expect(retryAfter).toBeLessThanOrEqual(45);
    expect(res.headers['ratelimit-policy']).toMatch(/q=2; w=45/);
    expect(remainingOf(res.headers.ratelimit)).toBe(0);
  });

  it('keeps draft-7 headers and answers XML when asked', async () => {
    const app = limitedApp(express, { limiter: { limit: 1, windowMs: 30_000, standardHeaders: 'draft-7', handler: rateLimitHandler() } });
    await request(app).get('/limited').expect(200);
    const res = await request(app).get('/limited').set('Accept', 'application/xml').expect(429);
    expect(res.headers.ratelimit).toMatch(/^limit=1, remaining=0, reset=\d+$/);
    expect(res.headers['ratelimit-policy']).toBe('1;w=30');
    const reset = Number(/reset=(\d+)/.exec(String(res.headers.ratelimit))?.[1]);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(reset);
    const { root } = parseXml(res.text);
    expect(Object.fromEntries(fields(root))).toMatchObject({ action: 'retry-after', code: 'too_many_requests', status: '429' });
  });

  it('answers user_rate_limit_exceeded when keyed by user, without echoing the user id', async () => {
    const app = limitedApp(express, {
      limiter: {
        limit: 1,
        keyGenerator: (req) => String(req.headers['x-user'] ?? 'anonymous'),
        handler: rateLimitHandler({ keyedBy: 'user' }),
      },
    });
    await request(app).get('/limited').set('X-User', 'user-4f1c9e').expect(200);
    const res = await request(app).get('/limited').set('X-User', 'user-4f1c9e').expect(429);
    expect(res.body.code).toBe('user_rate_limit_exceeded');
    expect(JSON.stringify(res.headers) + res.text).not.toContain('user-4f1c9e');
    // Another user has a quota of their own.
    await request(app).get('/limited').set('X-User', 'user-other').expect(200);
  });

  it("answers, under strictCodes 'map', the registry's own 429 and 503 codes where a mapper gives passRegistry's", async () => {
    const seen: EnhancedError[] = [];
    const options = { registry: vimondRegistry, mappers: [toPassCodes], onError: (error: EnhancedError) => seen.push(error) };
    const limited = limitedApp(express, { limiter: { limit: 1, handler: rateLimitHandler(options) }, options });
    await request(limited).get('/limited').expect(200);
    await request(limited).get('/limited').expect(429);
    await request(stuckApp(express, options)).get('/limited').expect(503);
    // What the handler answers for a thrown 429 and 503 under Vimond: the mapper's Pass codes are mapped.
    expect(seen.map((error) => [error.code, error.status])).toEqual([
      [EXPECTED.vimondRegistry.client, 429],
      [EXPECTED.vimondRegistry.store, 503],
    ]);
  });

  it('takes the limiter’s own longer retryAfter, and a code of a custom registry', async () => {
    const registry = createRegistry({
      slow_down: { status: [429, 503], action: 'retry-after', message: 'Slow down.' },
      ...genericErrorCodes,
    });
    const app = express();
    app.get(
      '/limited',
      rateLimit({
        limit: 1,
        windowMs: 10_000,
        retryAfter: 120,
        standardHeaders: 'draft-8',
        logger: quiet,
        handler: rateLimitHandler({ registry, code: 'slow_down', details: 'Quota: 1 per 10 s.' }),
      }),
      (_req, res) => res.json({}),
    );
    app.use(enhancedErrorHandler({ registry, log: false }));
    await request(app).get('/limited').expect(200);
    const res = await request(app).get('/limited').expect(429);
    expect(res.headers['retry-after']).toBe('120');
    expect(res.body).toMatchObject({ code: 'slow_down', details: 'Quota: 1 per 10 s.' });
  });
});

describe.each(express5Only)('rate-limit-redis on a real Redis on %s', (_name, express) => {
  let redis: RedisServer;
  const clients: { close(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await redis.stop();
  });

  /** One app instance: its own Redis connection, failing fast when Redis is gone. */
  async function instance(
    prefix: string,
    limiter: Partial<RateLimitOptions> = {},
    guard = true,
    options: EnhancedErrorHandlerOptions = {},
  ) {
    const client = createClient({
      url: redis.url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 500, reconnectStrategy: (retries: number) => Math.min(50 * (retries + 1), 200) },
    });
    client.on('error', () => undefined);
    clients.push(client);
    await client.connect();
    const store = new RedisStore({ prefix, sendCommand: (...args: string[]) => client.sendCommand(args, { timeout: 500 }) });
    return { client, app: limitedApp(express, { guard, options, limiter: { limit: 3, store, handler: rateLimitHandler(), ...limiter } }) };
  }

  async function whenReady(client: { readonly isReady: boolean }) {
    const deadline = Date.now() + 10_000;
    while (!client.isReady) {
      if (Date.now() > deadline) throw new Error('the Redis client did not reconnect');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('two instances sharing one Redis agree on counts and Retry-After', async () => {
    const prefix = `shared-${_name.replace(' ', '')}:`;
    const a = await instance(prefix);
    const b = await instance(prefix);
    const first = await request(a.app).get('/limited').expect(200);
    const second = await request(b.app).get('/limited').expect(200);
    const third = await request(a.app).get('/limited').expect(200);
    expect([first, second, third].map((res) => remainingOf(res.headers.ratelimit))).toEqual([2, 1, 0]);
    const fromB = await request(b.app).get('/limited').expect(429);
    const fromA = await request(a.app).get('/limited').expect(429);
    for (const res of [fromA, fromB]) {
      expect(res.body).toMatchObject({ code: 'too_many_requests', action: 'retry-after' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(resetOf(res.headers.ratelimit));
    }
    expect(Math.abs(Number(fromA.headers['retry-after']) - Number(fromB.headers['retry-after']))).toBeLessThanOrEqual(1);
  });

  it('answers a clear 503 when Redis dies, or lets requests through if configured, and resumes when it is back', async () => {
    const prefix = `outage-${_name.replace(' ', '')}:`;
    const guarded = await instance(prefix);
    const passing = await instance(prefix, { passOnStoreError: true }, false);
    await request(guarded.app).get('/limited').expect(200);

    await redis.stop();
    const started = Date.now();
    const down = await request(guarded.app).get('/limited').timeout(5000).expect(503);
    expect(down.body).toMatchObject({ code: 'service_unavailable', status: 503, action: 'none' });
    expect(down.text).not.toMatch(/redis|ECONNREFUSED|offline|closed/i);
    const through = await request(passing.app).get('/limited').timeout(5000).expect(200);
    expect(through.body).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(3000);

    await redis.start();
    await whenReady(guarded.client);
    await whenReady(passing.client);
    // A new Redis without persistence: counting starts again, the Lua script is loaded anew.
    const back = await request(guarded.app).get('/limited').timeout(5000).expect(200);
    expect(remainingOf(back.headers.ratelimit)).toBe(2);
    const shared = await request(passing.app).get('/limited').timeout(5000).expect(200);
    expect(remainingOf(shared.headers.ratelimit)).toBe(1);
  });

  describe.each(BUILT_IN_SERVICES)('under %s, given the handler’s options', (registryName, options) => {
    const expected = EXPECTED[registryName];
    it('answers 429 with a code of the registry, keyed by client and by user, with Retry-After', async () => {
      for (const keyedBy of ['client', 'user'] as const) {
        const seen: EnhancedError[] = [];
        const { app } = await instance(
          `${registryName}-${keyedBy}-${_name.replace(' ', '')}:`,
          { limit: 1, keyGenerator: (req) => String(req.headers['x-user']), handler: rateLimitHandler({ ...options, keyedBy }) },
          true,
          { ...options, onError: (error) => seen.push(error) },
        );
        await request(app).get('/limited').set('X-User', 'user-1').expect(200);
        const res = await request(app).get('/limited').set('X-User', 'user-1').expect(429);
        expect([keyedBy, seen.map((error) => [error.code, error.status])]).toEqual([keyedBy, [[expected[keyedBy], 429]]]);
        expect(options.registry.has(expected[keyedBy])).toBe(true);
        expect(codeSent(res)).toBe(asSent(options, expected[keyedBy]));
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(resetOf(res.headers.ratelimit));
      }
    });
  });

  it('answers each registry’s own 503 code when Redis dies', async () => {
    const guarded = await Promise.all(
      BUILT_IN_SERVICES.map(async ([registryName, options]) => ({
        options,
        expected: EXPECTED[registryName],
        ...(await instance(`down-${registryName}-${_name.replace(' ', '')}:`, {}, true, options)),
      })),
    );
    for (const { app } of guarded) await request(app).get('/limited').expect(200);
    await redis.stop();
    try {
      for (const { app, options, expected } of guarded) {
        const res = await request(app).get('/limited').timeout(5000).expect(503);
        expect(codeSent(res)).toBe(asSent(options, expected.store));
        expect(res.text).not.toMatch(/redis|ECONNREFUSED|offline|closed/i);
      }
    } finally {
      await redis.start();
      for (const { client } of guarded) await whenReady(client);
    }
  });
});

describe.each(express5Only)('the handler’s statusCodes on %s', (_name, express) => {
  const registry = createRegistry({
    ...genericErrorCodes,
    slow_down: { status: 429, action: 'retry-after', message: 'Slow down.' },
    store_down: { status: 503, action: 'retry', message: 'The rate-limit store is down.' },
  });
  const options = { registry, statusCodes: { 429: 'slow_down', 503: 'store_down' } };

  it('decide the 429 code of rateLimitHandler', async () => {
    const app = limitedApp(express, { limiter: { limit: 1, handler: rateLimitHandler(options) }, options });
    await request(app).get('/limited').expect(200);
    const res = await request(app).get('/limited').expect(429);
    expect(res.body).toMatchObject({ code: 'slow_down', action: 'retry-after', status: 429 });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(40);
  });

  it('decide the 503 code of rateLimitStoreGuard', async () => {
    const res = await request(stuckApp(express, options)).get('/limited').timeout(3000).expect(503);
    expect(res.body).toMatchObject({ code: 'store_down', action: 'retry', status: 503 });
  });
});

describe.each(express5Only)('rateLimitStoreGuard timeout on %s', (_name, express) => {
  it('answers 503 when the store never answers', async () => {
    const res = await request(stuckApp(express)).get('/limited').timeout(3000).expect(503);
    expect(res.body.code).toBe('service_unavailable');
  });

  it('keeps the limiter’s resetKey', async () => {
    const limiter = rateLimit({ limit: 1, logger: quiet, handler: rateLimitHandler() });
    const guarded = rateLimitStoreGuard(limiter);
    const app = express();
    app.get('/limited', guarded, (_req, res) => res.json({ ok: true }));
    app.use(enhancedErrorHandler({ log: false }));
    await request(app).get('/limited').expect(200);
    await request(app).get('/limited').expect(429);
    guarded.resetKey('::ffff:127.0.0.1');
    guarded.resetKey('127.0.0.1');
    await request(app).get('/limited').expect(200);
  });
});
