import type { RequestListener } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { type EnhancedError, passRegistry } from '../../src';
import { parseEnhancedError, RETRY_DEFAULTS, type RetryOptions, withItemRetry, withRetry } from '../../src/client';
import { appWith, type ExpressFactory, express5Only } from '../support/apps';
import { type ItemRoute, itemsAppWith } from '../support/item-apps';
import { serveOnLoopback } from '../support/loopback';

/** A clock whose sleeps return at once and move time forward; records every wait. */
function testClock(start = Date.UTC(2030, 0, 1, 0, 0, 0)) {
  const sleeps: number[] = [];
  let now = start;
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

async function serving<T>(app: RequestListener, run: (url: string) => Promise<T>): Promise<T> {
  const server = await serveOnLoopback(app);
  try {
    return await run(server.url);
  } finally {
    await server.close();
  }
}

const withServer = <T>(express: ExpressFactory, routes: Record<string, RequestHandler>, run: (url: string) => Promise<T>) =>
  serving(appWith(express, routes), run);

/** Routes that answer with items, built with the error handler from one `enhancedErrorHandlerWithItems` options object. */
const withItemServer = <T>(express: ExpressFactory, routes: Record<string, ItemRoute>, run: (url: string) => Promise<T>) =>
  serving(itemsAppWith(express, routes), run);

/** A route that throws the scripted errors in turn, then answers 200; counts its calls. */
function scripted(failures: Array<() => EnhancedError>) {
  const route = {
    calls: 0,
    handler: ((_req: Request, res: Response) => {
      route.calls += 1;
      const fail = failures[route.calls - 1];
      if (fail !== undefined) throw fail();
      res.json({ ok: true, calls: route.calls });
    }) as RequestHandler,
  };
  return route;
}

const timeout = () => passRegistry.create('network_connection_timeout');
const denied = () => passRegistry.create('authorization_denied_by_mvpd');
const busy = (retryAfter: number | Date) => () => passRegistry.create('too_many_requests', { retryAfter });

describe.each(express5Only)('withRetry against the real handler, %s', (_name, express) => {
  it.each(['application/json', 'application/xml'])(
    'retries `retry` errors with growing, jittered backoff until success (%s)',
    async (accept) => {
      const route = scripted([timeout, timeout]);
      const clock = testClock();
      const result = await withServer(express, { '/r': route.handler }, (url) =>
        withRetry(({ signal }) => fetch(`${url}/r`, { headers: { accept }, signal }), { ...clock, baseDelayMs: 100, random: () => 0.5 }),
      );
      expect(result.attempts).toBe(3);
      expect(route.calls).toBe(3);
      expect(result.response.status).toBe(200);
      expect(result.error).toBeUndefined();
      expect(await result.response.json()).toEqual({ ok: true, calls: 3 });
      // Half of base·2^n, plus random() of the other half.
      expect(clock.sleeps).toEqual([75, 150]);
    },
  );

  it('keeps every backoff between half and all of its exponential step, capped by maxDelayMs', async () => {
    const route = scripted(Array(5).fill(timeout));
    for (const random of [0, 0.999]) {
      route.calls = 0;
      const clock = testClock();
      await withServer(express, { '/r': route.handler }, (url) =>
        withRetry(() => fetch(`${url}/r`), { ...clock, maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300, random: () => random }),
      );
      const steps = [100, 200, 300, 300];
      clock.sleeps.forEach((delay, index) => {
        expect(delay).toBeGreaterThanOrEqual((steps[index] ?? 0) / 2);
        expect(delay).toBeLessThanOrEqual(steps[index] ?? 0);
      });
      expect(clock.sleeps).toHaveLength(4);
    }
  });

  it('waits what Retry-After says in seconds', async () => {
    const route = scripted([busy(7)]);
    const clock = testClock();
    const result = await withServer(express, { '/r': route.handler }, (url) => withRetry(() => fetch(`${url}/r`), clock));
    expect(result).toMatchObject({ attempts: 2, response: { status: 200 } });
    expect(clock.sleeps).toEqual([7000]);
  });

  it('waits until the HTTP-date Retry-After names, measured on the given clock', async () => {
    const clock = testClock();
    let calls = 0;
    // The handler sends delay-seconds; an HTTP-date comes from other servers, written here by hand.
    const route: RequestHandler = (_req, res) => {
      calls += 1;
      if (calls > 1) res.json({ ok: true });
      else
        res
          .status(429)
          .set('Retry-After', new Date(clock.now() + 30_000).toUTCString())
          .json({ action: 'retry-after', status: 429, code: 'too_many_requests', message: 'Too many requests.', trace: 't-1' });
    };
    const result = await withServer(express, { '/r': route }, (url) => withRetry(() => fetch(`${url}/r`), clock));
    expect(result.attempts).toBe(2);
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('never retries before the Retry-After: past maxRetryAfterMs it gives up and returns the error', async () => {
    const route = scripted([busy(120), busy(120)]);
    const clock = testClock();
    const result = await withServer(express, { '/r': route.handler }, (url) =>
      withRetry(() => fetch(`${url}/r`), { ...clock, maxRetryAfterMs: 60_000 }),
    );
    expect(clock.sleeps).toEqual([]);
    expect(route.calls).toBe(1);
    expect(result.attempts).toBe(1);
    expect(result.error).toMatchObject({ kind: 'top-level', retryAfter: 120, error: { action: 'retry-after' } });
  });

  it('waits a Retry-After up to maxRetryAfterMs in full', async () => {
    const route = scripted([busy(60)]);
    const clock = testClock();
    await withServer(express, { '/r': route.handler }, (url) => withRetry(() => fetch(`${url}/r`), { ...clock, maxRetryAfterMs: 60_000 }));
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('reads the request id from Adobe-Request-Id, or from the headers it is told', async () => {
    const route = scripted([timeout]);
    const result = await serving(appWith(express, { '/r': route.handler }, { requestIdHeader: 'Adobe-Request-Id' }), (url) =>
      withRetry(() => fetch(`${url}/r`, { headers: { 'Adobe-Request-Id': 'adobe-7' } }), { maxAttempts: 1 }),
    );
    expect(result.error?.requestId).toBe('adobe-7');
    const told = await serving(appWith(express, { '/r': scripted([timeout]).handler }, { requestIdHeader: 'Trace-Id' }), (url) =>
      withRetry(() => fetch(`${url}/r`, { headers: { 'Trace-Id': 'mine-8' } }), { maxAttempts: 1, requestIdHeaders: ['Trace-Id'] }),
    );
    expect(told.error?.requestId).toBe('mine-8');
    await expect(withRetry(() => fetch('http://127.0.0.1:9'), { requestIdHeaders: ['bad name'] })).rejects.toThrow(
      'requestIdHeaders must be a list of header names',
    );
  });

  it.each([undefined, 5])('gives up after maxAttempts (%s) and returns the last error', async (maxAttempts) => {
    const route = scripted(Array(10).fill(timeout));
    const clock = testClock();
    const events: number[] = [];
    const options: RetryOptions = {
      ...clock,
      onRetry: (event) => events.push(event.attempt),
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    };
    const result = await withServer(express, { '/r': route.handler }, (url) => withRetry(() => fetch(`${url}/r`), options));
    const expected = maxAttempts ?? RETRY_DEFAULTS.maxAttempts;
    expect(route.calls).toBe(expected);
    expect(result.attempts).toBe(expected);
    expect(result.response.status).toBe(403);
    expect(result.error).toMatchObject({ kind: 'top-level', error: { action: 'retry', code: 'network_connection_timeout' } });
    expect(clock.sleeps).toHaveLength(expected - 1);
    expect(events).toEqual(Array.from({ length: expected - 1 }, (_, index) => index + 1));
  });

  it('does not retry other actions', async () => {
    const route = scripted([denied]);
    const clock = testClock();
    const result = await withServer(express, { '/r': route.handler }, (url) => withRetry(() => fetch(`${url}/r`), clock));
    expect(route.calls).toBe(1);
    expect(result.error).toMatchObject({ kind: 'top-level', error: { action: 'none' } });
    expect(clock.sleeps).toEqual([]);
  });

  it("stops waiting when aborted, rejecting with the signal's reason, with the real timer", async () => {
    const route = scripted([busy(50)]);
    const controller = new AbortController();
    const started = Date.now();
    const outcome = withServer(express, { '/r': route.handler }, (url) =>
      withRetry(({ signal }) => fetch(`${url}/r`, { signal }), {
        signal: controller.signal,
        onRetry: () => setTimeout(() => controller.abort(), 20),
      }),
    );
    await expect(outcome).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(route.calls).toBe(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const route = scripted([]);
    const reason = new Error('user left the page');
    await expect(
      withServer(express, { '/r': route.handler }, (url) => withRetry(() => fetch(`${url}/r`), { signal: AbortSignal.abort(reason) })),
    ).rejects.toBe(reason);
    expect(route.calls).toBe(0);
  });
});

describe('withRetry with jest fake timers and the default sleep', () => {
  afterEach(() => jest.useRealTimers());

  it('waits exactly the Retry-After before the second request', async () => {
    const route = scripted([busy(2)]);
    const server = await serveOnLoopback(appWith(express5Only[0][1], { '/r': route.handler }));
    try {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      let waiting!: () => void;
      const retrying = new Promise<void>((resolve) => (waiting = resolve));
      const result = withRetry(() => fetch(`${server.url}/r`), { onRetry: () => waiting() });
      await retrying;
      await jest.advanceTimersByTimeAsync(1999);
      expect(route.calls).toBe(1);
      await jest.advanceTimersByTimeAsync(1);
      jest.useRealTimers();
      expect(await result).toMatchObject({ attempts: 2, response: { status: 200 } });
      expect(route.calls).toBe(2);
    } finally {
      jest.useRealTimers();
      await server.close();
    }
  });
});

describe('retry options', () => {
  it.each([
    { maxAttempts: 0 },
    { maxAttempts: 1.5 },
    { baseDelayMs: -1 },
    { maxDelayMs: Number.NaN },
    { maxRetryAfterMs: Infinity },
    { maxRetryAfterMs: 2 ** 31 },
    { invalidRetryAfterMs: -1 },
    { invalidRetryAfterMs: Number.NaN },
    { now: 'tomorrow' as unknown as () => number },
  ])('refuses %p before sending anything', async (options) => {
    const send = jest.fn();
    await expect(withRetry(send, options)).rejects.toThrow(TypeError);
    await expect(withItemRetry(['a'], send, options)).rejects.toThrow(TypeError);
    expect(send).not.toHaveBeenCalled();
  });
});

/** POST /preauthorize {resources: [ids]}: each id answers its scripted outcomes in turn, then succeeds. */
function preauthorize(scripts: Record<string, Array<(() => EnhancedError) | undefined>>) {
  const asked = new Map<string, number>();
  const route = {
    requests: [] as string[][],
    handler: (({ sendItems }) =>
      (req: Request, res: Response) => {
        const ids = (req.body as { resources: string[] }).resources;
        route.requests.push(ids);
        const top = scripts['*']?.[route.requests.length - 1];
        if (top !== undefined) throw top();
        sendItems(req, res, {
          collection: 'resources',
          items: ids.map((id) => {
            const time = asked.get(id) ?? 0;
            asked.set(id, time + 1);
            const fail = scripts[id]?.[time];
            return fail === undefined ? { id, authorized: true } : { id, authorized: false, error: fail() };
          }),
        });
      }) as ItemRoute,
  };
  return route;
}

const post =
  (url: string, accept: string) =>
  (ids: readonly string[], { signal }: { signal?: AbortSignal }) =>
    fetch(`${url}/preauthorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ resources: ids }),
      signal,
    });

describe.each(express5Only)('withItemRetry against item-level responses, %s', (_name, express) => {
  it.each(['application/json', 'application/xml'])(
    're-sends only the items marked retry/retry-after and merges the answers (%s)',
    async (accept) => {
      const route = preauthorize({ B: [timeout], C: [denied], D: [busy(5), busy(5)] });
      const clock = testClock();
      const result = await withItemServer(express, { '/preauthorize': route.handler }, (url) =>
        withItemRetry(['A', 'B', 'C', 'D'], post(url, accept), clock),
      );
      expect(route.requests).toEqual([['A', 'B', 'C', 'D'], ['B', 'D'], ['D']]);
      expect(result.attempts).toBe(3);
      expect(result.collection).toBe('resources');
      expect(result.outcomes.map((outcome) => [outcome.input, outcome.fields?.id, outcome.error?.code, outcome.attempt])).toEqual([
        ['A', 'A', undefined, 1],
        ['B', 'B', undefined, 2],
        ['C', 'C', 'authorization_denied_by_mvpd', 1],
        ['D', 'D', undefined, 3],
      ]);
      expect(result.failed.map((outcome) => outcome.input)).toEqual(['C']);
      // The responses with a retry-after item carry Retry-After: 5.
      expect(clock.sleeps).toEqual([5000, 5000]);
      expect(result.stoppedBy).toBeUndefined();
    },
  );

  it('gives up after maxAttempts with the items still failing', async () => {
    const route = preauthorize({ B: Array(5).fill(timeout) });
    const clock = testClock();
    const result = await withItemServer(express, { '/preauthorize': route.handler }, (url) =>
      withItemRetry(['A', 'B'], post(url, 'application/json'), { ...clock, baseDelayMs: 10, random: () => 0 }),
    );
    expect(route.requests).toEqual([['A', 'B'], ['B'], ['B']]);
    expect(result.failed).toMatchObject([{ input: 'B', error: { action: 'retry' }, attempt: 3 }]);
    expect(clock.sleeps).toEqual([5, 10]);
  });

  it('repeats the same items after a top-level retry-after error, and stops on any other top-level error', async () => {
    const route = preauthorize({ '*': [busy(1), () => passRegistry.create('bad_request')], B: [timeout] });
    const clock = testClock();
    // Call 1: 429 for the whole request; call 2 (same items): 400, which stops.
    const result = await withItemServer(express, { '/preauthorize': route.handler }, (url) =>
      withItemRetry(['A', 'B'], post(url, 'application/json'), clock),
    );
    expect(route.requests).toEqual([
      ['A', 'B'],
      ['A', 'B'],
    ]);
    expect(clock.sleeps).toEqual([1000]);
    expect(result.stoppedBy).toMatchObject({ kind: 'top-level', httpStatus: 400, error: { code: 'bad_request' } });
    expect(result.failed.map((outcome) => outcome.input)).toEqual(['A', 'B']);
    expect(result.outcomes.every((outcome) => outcome.fields === undefined)).toBe(true);
  });

  it('keeps earlier answers when a retry is refused at the top level', async () => {
    const route = preauthorize({ '*': [undefined, () => passRegistry.create('bad_request')], B: [timeout] });
    const clock = testClock();
    const result = await withItemServer(express, { '/preauthorize': route.handler }, (url) =>
      withItemRetry(['A', 'B'], post(url, 'application/json'), clock),
    );
    expect(route.requests).toEqual([['A', 'B'], ['B']]);
    expect(result.outcomes.map((outcome) => [outcome.fields?.id, outcome.error?.code])).toEqual([
      ['A', undefined],
      ['B', 'network_connection_timeout'],
    ]);
    expect(result.stoppedBy).toMatchObject({ httpStatus: 400 });
  });

  it('rejects a response whose items do not match what was sent', async () => {
    const handler: ItemRoute =
      ({ sendItems }) =>
      (req, res) =>
        sendItems(req, res, { collection: 'resources', items: [{ id: 'only-one' }] });
    await expect(
      withItemServer(express, { '/preauthorize': handler }, (url) => withItemRetry(['A', 'B'], post(url, 'application/json'), testClock())),
    ).rejects.toThrow(/1 items for 2 sent/);
  });

  it('stops waiting when aborted', async () => {
    const route = preauthorize({ B: [busy(60)] });
    const controller = new AbortController();
    const outcome = withItemServer(express, { '/preauthorize': route.handler }, (url) =>
      withItemRetry(['A', 'B'], post(url, 'application/json'), { signal: controller.signal, onRetry: () => controller.abort() }),
    );
    await expect(outcome).rejects.toMatchObject({ name: 'AbortError' });
    expect(route.requests).toEqual([['A', 'B']]);
  });
});

/** What the real handler sends for too_many_requests, written by hand so that the test chooses the Retry-After header. */
const tooManyRequests = {
  action: 'retry-after',
  status: 429,
  code: 'too_many_requests',
  message: passRegistry.get('too_many_requests').message,
};

/** Answers `times` times with the status, the Retry-After header and the body, then 200; counts its calls. */
function retryAfterRoute(retryAfter: string, { times = 1, status = 429, body = tooManyRequests as object } = {}) {
  const route = {
    calls: 0,
    handler: ((_req: Request, res: Response) => {
      route.calls += 1;
      if (route.calls > times) res.json({ ok: true });
      else res.status(status).set('Retry-After', retryAfter).json(body);
    }) as RequestHandler,
  };
  return route;
}

// The test clock starts on Tuesday 2030-01-01 00:00:00 GMT; each form names 40 s later.
const HTTP_DATE_FORMS = [
  ['IMF-fixdate', 'Tue, 01 Jan 2030 00:00:40 GMT'],
  ['RFC 850', 'Tuesday, 01-Jan-30 00:00:40 GMT'],
  ['asctime', 'Tue Jan  1 00:00:40 2030'],
] as const;

// Neither delay-seconds nor an HTTP-date, however close: each must wait invalidRetryAfterMs.
const UNREADABLE_RETRY_AFTER = [
  '120, 120',
  'soon',
  '',
  '-5',
  '1.5',
  '0x10',
  '2030-01-01T00:00:40Z',
  'Tue, 01 Jan 2030 00:00:40 UTC',
  'Tue, 01 Jan 2030 00:00:40 +0000',
  'Tue, 1 Jan 2030 00:00:40 GMT',
  'tue, 01 jan 2030 00:00:40 GMT',
  'Tue,  01 Jan 2030 00:00:40 GMT',
  'Tue, 31 Feb 2030 00:00:40 GMT',
  'Tue, 01 Jan 2030 24:00:00 GMT',
  'Tuesday, 01-Jan-2030 00:00:40 GMT',
  'Tue, 01-Jan-30 00:00:40 GMT',
  'Tue Jan 1 00:00:40 2030',
  'Tue Jan  1 00:00:40 2030 GMT',
];

describe.each(express5Only)('Retry-After in every form, over real HTTP, %s', (_name, express) => {
  it.each(HTTP_DATE_FORMS)('waits until the %s date, never earlier', async (_form, date) => {
    const route = retryAfterRoute(date);
    const clock = testClock();
    const result = await withServer(express, { '/r': route.handler }, (url) => withRetry(() => fetch(`${url}/r`), clock));
    expect(clock.sleeps).toEqual([40_000]);
    expect(result).toMatchObject({ attempts: 2, response: { status: 200 } });
  });

  it('reads the examples of RFC 9110 §5.6.7, two-digit years around the 50-year line, and a leap second', async () => {
    const app = appWith(express, {
      '/echo': (req: Request, res: Response) => {
        res
          .status(503)
          .set('Retry-After', String(req.query.value))
          .json({ ...tooManyRequests, status: 503 });
      },
    });
    const readAt = (url: string, value: string) =>
      fetch(`${url}/echo?value=${encodeURIComponent(value)}`).then((response) => parseEnhancedError(response, { now: testClock().now }));
    await serving(app, async (url) => {
      for (const [value, expected] of [
        ['Sun, 06 Nov 1994 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
        ['Sunday, 06-Nov-94 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
        ['Sun Nov  6 08:49:37 1994', '1994-11-06T08:49:37.000Z'],
        ['Sun Nov 06 08:49:37 1994', '1994-11-06T08:49:37.000Z'],
        // Exactly 50 years after the clock is not "more than 50 years in the future"; a second later is.
        ['Monday, 01-Jan-80 00:00:00 GMT', '2080-01-01T00:00:00.000Z'],
        ['Monday, 01-Jan-80 00:00:01 GMT', '1980-01-01T00:00:01.000Z'],
        ['Monday, 31-Dec-29 23:59:59 GMT', '2029-12-31T23:59:59.000Z'],
        ['Tuesday, 29-Feb-00 00:00:00 GMT', '2000-02-29T00:00:00.000Z'],
        ['Thu, 29 Feb 2024 12:00:00 GMT', '2024-02-29T12:00:00.000Z'],
        ['Tue, 31 Dec 2030 23:59:60 GMT', '2031-01-01T00:00:00.000Z'],
        [' \tTue, 01 Jan 2030 00:00:40 GMT', '2030-01-01T00:00:40.000Z'],
      ] as const) {
        const parsed = await readAt(url, value);
        expect([value, parsed.retryAfter instanceof Date ? parsed.retryAfter.toISOString() : parsed.retryAfter]).toEqual([value, expected]);
        expect(parsed.invalidRetryAfter).toBeUndefined();
      }
      for (const value of ['Sat, 29 Feb 2031 00:00:00 GMT', 'Sunday, 29-Feb-01 00:00:00 GMT', 'Sun, 06 Nov 1994 08:60:37 GMT']) {
        expect(await readAt(url, value)).toMatchObject({ invalidRetryAfter: value });
      }
    });
  });

  it.each(UNREADABLE_RETRY_AFTER)(
    'waits invalidRetryAfterMs (30 s by default) for Retry-After %p, never the short backoff',
    async (value) => {
      const route = retryAfterRoute(value);
      const clock = testClock();
      const result = await withServer(express, { '/r': route.handler }, async (url) => {
        const parsed = await parseEnhancedError(await fetch(`${url}/r`));
        expect(parsed).toMatchObject({ kind: 'top-level', httpStatus: 429, invalidRetryAfter: value });
        expect(parsed.retryAfter).toBeUndefined();
        route.calls = 0;
        return withRetry(() => fetch(`${url}/r`), { ...clock, random: () => 0.5 });
      });
      expect(clock.sleeps).toEqual([RETRY_DEFAULTS.invalidRetryAfterMs]);
      expect(RETRY_DEFAULTS.invalidRetryAfterMs).toBe(30_000);
      expect(result).toMatchObject({ attempts: 2, response: { status: 200 } });
    },
  );

  it('waits as long for a 503 `retry` error with an unreadable Retry-After', async () => {
    const route = retryAfterRoute('120, 120', {
      status: 503,
      body: { ...tooManyRequests, action: 'retry', status: 503, code: 'service_unavailable' },
    });
    const clock = testClock();
    await withServer(express, { '/r': route.handler }, (url) => withRetry(() => fetch(`${url}/r`), clock));
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('never retries delay-seconds of 2^53 − 1, a wait past any maxRetryAfterMs', async () => {
    const route = retryAfterRoute('9007199254740991');
    const clock = testClock();
    const result = await withServer(express, { '/r': route.handler }, (url) =>
      withRetry(() => fetch(`${url}/r`), { ...clock, maxRetryAfterMs: 2 ** 31 - 1 }),
    );
    expect(result.error).toMatchObject({ kind: 'top-level', retryAfter: Number.MAX_SAFE_INTEGER });
    expect(result.attempts).toBe(1);
    expect(route.calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it.each(['9007199254740993', '99999999999999999999999999'])(
    'takes delay-seconds %s, past 2^53 − 1, as unreadable: waits invalidRetryAfterMs, never sooner',
    async (value) => {
      const route = retryAfterRoute(value);
      const clock = testClock();
      const result = await withServer(express, { '/r': route.handler }, (url) => withRetry(() => fetch(`${url}/r`), clock));
      expect(route.calls).toBe(2);
      expect(clock.sleeps).toEqual([30_000]);
      expect(result).toMatchObject({ attempts: 2, response: { status: 200 } });
    },
  );

  it('gives up when invalidRetryAfterMs exceeds maxRetryAfterMs, and waits any other value it is given', async () => {
    const cases: Array<[RetryOptions, number[], number]> = [
      [{ maxRetryAfterMs: 29_999 }, [], 1],
      [{ invalidRetryAfterMs: 61_000 }, [], 1],
      [{ invalidRetryAfterMs: 45_000 }, [45_000], 2],
      [{ invalidRetryAfterMs: 60_000 }, [60_000], 2],
      // A backoff longer than invalidRetryAfterMs is waited in full.
      [{ invalidRetryAfterMs: 0, baseDelayMs: 100, random: () => 0.5 }, [75], 2],
    ];
    for (const [options, sleeps, attempts] of cases) {
      const route = retryAfterRoute('soon');
      const clock = testClock();
      const result = await withServer(express, { '/r': route.handler }, (url) =>
        withRetry(() => fetch(`${url}/r`), { ...clock, ...options }),
      );
      expect([options, clock.sleeps, result.attempts, route.calls]).toEqual([options, sleeps, attempts, attempts]);
      if (attempts === 1) expect(result.error).toMatchObject({ invalidRetryAfter: 'soon', error: { action: 'retry-after' } });
    }
  });

  it.each([...HTTP_DATE_FORMS.map(([, date]) => [date, 40_000] as const), ['120, 120', 30_000] as const])(
    'withItemRetry waits the same for Retry-After %p on an item-level answer',
    async (value, wait) => {
      let calls = 0;
      const handler = ((req: Request, res: Response) => {
        calls += 1;
        const ids = (req.body as { resources: string[] }).resources;
        const failing = calls === 1;
        if (failing) res.set('Retry-After', value);
        res.json({ resources: ids.map((id) => (failing && id === 'B' ? { id, error: tooManyRequests } : { id, authorized: true })) });
      }) as RequestHandler;
      const clock = testClock();
      const result = await withServer(express, { '/preauthorize': handler }, (url) =>
        withItemRetry(['A', 'B'], post(url, 'application/json'), clock),
      );
      expect(clock.sleeps).toEqual([wait]);
      expect(result.failed).toEqual([]);
      expect(result.attempts).toBe(2);
    },
  );
});
