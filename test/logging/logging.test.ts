import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pino from 'pino';
import pinoHttp from 'pino-http';
import request from 'supertest';
import { enhancedErrorHandler, passRegistry, requestContext, requestContextOf } from '../../src';
import { type ErrorLogger, logErrors } from '../../src/logging';
import { express5Only, type ExpressFactory } from '../support/apps';

type Line = Record<string, unknown> & { level: number; msg: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const routes: Record<string, RequestHandler> = {
  '/boom': () => {
    throw new Error('db password=hunter2');
  },
  '/unavailable': () => {
    throw passRegistry.create('service_unavailable', { cause: new Error('upstream timed out') });
  },
  '/limited': () => {
    throw passRegistry.create('too_many_requests', { retryAfter: 3 });
  },
  '/ok': (_req, res) => {
    res.send('ok');
  },
};

/** The set-up of docs/logging.md: ids settled first, pino-http logging them, the handler logging each error with the same ids. */
function loggedApp(express: ExpressFactory, clientErrors?: 'warn' | false) {
  const lines: Line[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
  const app = express();
  app.use(requestContext());
  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => requestContextOf(res)?.requestId ?? randomUUID(),
      customProps: (_req, res) => ({ ...requestContextOf(res) }),
    }),
  );
  for (const [path, handler] of Object.entries(routes)) app.get(path, handler);
  app.use(enhancedErrorHandler({ onError: logErrors(logger, clientErrors === undefined ? {} : { clientErrors }) }));
  return { app, lines };
}

/** pino-http writes its line when the response finishes, which may be just after the client has it. */
async function linesOnceLogged(lines: Line[], count: number): Promise<Line[]> {
  for (let waited = 0; lines.length < count && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
  return lines;
}

const requestLine = (lines: Line[]) => lines.find((line) => line.res !== undefined);
const errorLine = (lines: Line[]) => lines.find((line) => line.code !== undefined);

describe.each(express5Only)('%s: pino-http', (_name, express) => {
  it('logs a redacted 5xx with the original error, under the ids of the request line and the body', async () => {
    const { app, lines } = loggedApp(express);
    const res = await request(app).get('/boom').set('X-Request-Id', 'req-7').expect(500);
    expect(res.text).not.toContain('hunter2');
    expect(res.headers['x-request-id']).toBe('req-7');
    await linesOnceLogged(lines, 2);
    expect(lines).toHaveLength(2);

    const error = errorLine(lines);
    expect(error).toMatchObject({
      level: 50,
      msg: '500 internal_error',
      code: 'internal_error',
      action: 'none',
      status: 500,
      requestId: 'req-7',
      trace: res.body.trace,
    });
    expect(error?.err).toMatchObject({ type: 'Error', message: 'db password=hunter2' });
    expect(String((error?.err as { stack?: unknown }).stack)).toContain('test/logging/logging.test.ts');

    const completed = requestLine(lines);
    expect(completed).toMatchObject({
      requestId: 'req-7',
      trace: res.body.trace,
      req: { id: 'req-7', url: '/boom' },
      res: { statusCode: 500 },
    });
  });

  it("logs a route's own 5xx with its cause", async () => {
    const { app, lines } = loggedApp(express);
    const res = await request(app).get('/unavailable').expect(503);
    await linesOnceLogged(lines, 2);
    const error = errorLine(lines);
    expect(error).toMatchObject({
      level: 50,
      code: 'service_unavailable',
      status: 503,
      trace: res.body.trace,
      requestId: res.headers['x-request-id'],
    });
    expect(error?.err).toMatchObject({ message: 'upstream timed out' });
    expect(requestLine(lines)).toMatchObject({ trace: res.body.trace, requestId: res.headers['x-request-id'] });
  });

  it('logs a 4xx as structured data without an error record, at the chosen level', async () => {
    const { app, lines } = loggedApp(express);
    const res = await request(app).get('/limited').expect(429);
    expect(res.headers['x-request-id']).toMatch(UUID);
    await linesOnceLogged(lines, 2);
    const error = errorLine(lines);
    expect(error).toEqual(
      expect.objectContaining({
        level: 30,
        msg: '429 too_many_requests',
        code: 'too_many_requests',
        action: 'retry-after',
        status: 429,
        requestId: res.headers['x-request-id'],
        trace: res.body.trace,
      }),
    );
    expect(error).not.toHaveProperty('err');
    expect(requestLine(lines)).toMatchObject({
      level: 30,
      requestId: res.headers['x-request-id'],
      trace: res.body.trace,
      res: { statusCode: 429 },
    });

    const warned = loggedApp(express, 'warn');
    await request(warned.app).get('/limited').expect(429);
    expect(errorLine(await linesOnceLogged(warned.lines, 2))).toMatchObject({ level: 40, code: 'too_many_requests' });

    const quiet = loggedApp(express, false);
    await request(quiet.app).get('/limited').expect(429);
    await linesOnceLogged(quiet.lines, 1);
    expect(quiet.lines.map((line) => line.code)).toEqual([undefined]);
  });

  it('gives a successful request its ids too', async () => {
    const { app, lines } = loggedApp(express);
    const res = await request(app).get('/ok').set('X-Request-Id', 'ok-1').expect(200);
    expect(res.headers['x-request-id']).toBe('ok-1');
    await linesOnceLogged(lines, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ requestId: 'ok-1', req: { id: 'ok-1' }, res: { statusCode: 200 } });
    expect(lines[0]?.trace).toMatch(UUID);
  });
});

describe.each(express5Only)('%s: requestContext', (_name, express) => {
  function app(options: Parameters<typeof requestContext>[0], handlerOptions = options) {
    const seen: unknown[] = [];
    const instance = express();
    instance.use(requestContext(options));
    instance.get('/x', (_req, res) => {
      seen.push(requestContextOf(res));
      throw passRegistry.create('bad_request');
    });
    instance.use(enhancedErrorHandler({ log: false, ...handlerOptions }));
    return { instance, seen };
  }

  it('settles the ids before the routes run, and the handler sends the same', async () => {
    let n = 0;
    const { instance, seen } = app({ requestIdHeader: 'X-Correlation-Id', generateTrace: () => `trace-${++n}` });
    const res = await request(instance).get('/x').set('X-Correlation-Id', 'abc.123').expect(400);
    expect(seen).toEqual([{ requestId: 'abc.123', trace: 'trace-1' }]);
    expect(res.body.trace).toBe('trace-1');
    expect(res.headers['x-correlation-id']).toBe('abc.123');
  });

  it('replaces an unsafe incoming id and can leave the header alone', async () => {
    const unsafe = app({});
    const res = await request(unsafe.instance).get('/x').set('X-Request-Id', 'a b<c>').expect(400);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(unsafe.seen).toEqual([{ requestId: res.headers['x-request-id'], trace: res.body.trace }]);

    const off = app({ requestIdHeader: false });
    const quiet = await request(off.instance).get('/x').set('X-Request-Id', 'given').expect(400);
    expect(quiet.headers['x-request-id']).toBeUndefined();
    expect(off.seen).toEqual([{ requestId: expect.stringMatching(UUID), trace: quiet.body.trace }]);
  });

  it('refuses bad options at start-up', () => {
    expect(() => requestContext({ requestIdHeader: 'X-Bad Header' })).toThrow(/requestIdHeader must be a header name/);
    expect(() => requestContext({ generateTrace: 'abc' as never })).toThrow(/generateTrace must be a function/);
  });
});

describe('logErrors', () => {
  it('takes a function of the request for a per-request logger', async () => {
    const calls: [string, Record<string, unknown>, string][] = [];
    const logger = (level: string) => (fields: object, message: string) => calls.push([level, { ...fields }, message]);
    const perRequest: ErrorLogger = { error: logger('error'), warn: logger('warn'), info: logger('info'), debug: logger('debug') };
    const [, express] = express5Only[0];
    const instance = express();
    instance.get('/x', () => {
      throw passRegistry.create('bad_request');
    });
    instance.use(
      enhancedErrorHandler({
        onError: logErrors((req) => (req.headers['x-log'] === 'yes' ? perRequest : undefined), { clientErrors: 'debug' }),
      }),
    );
    const res = await request(instance).get('/x').set('X-Log', 'yes').expect(400);
    await request(instance).get('/x').expect(400);
    expect(calls).toEqual([
      [
        'debug',
        { code: 'bad_request', action: 'none', status: 400, requestId: res.headers['x-request-id'], trace: res.body.trace },
        '400 bad_request',
      ],
    ]);
  });

  it('does not ask for the per-request logger when the error is not logged', async () => {
    let asked = 0;
    const ignore = () => undefined;
    const [, express] = express5Only[0];
    const instance = express();
    instance.get('/x', () => {
      throw passRegistry.create('bad_request');
    });
    const perRequest = () => {
      asked += 1;
      return { error: ignore, warn: ignore, info: ignore, debug: ignore };
    };
    instance.use(enhancedErrorHandler({ onError: logErrors(perRequest, { clientErrors: false }) }));
    await request(instance).get('/x').expect(400);
    expect(asked).toBe(0);
  });

  it('gives a 5xx without a cause the error itself as err', async () => {
    const logged: Record<string, unknown>[] = [];
    const collect = (fields: object) => logged.push({ ...fields });
    const [, express] = express5Only[0];
    const instance = express();
    const thrown = passRegistry.create('service_unavailable');
    instance.get('/x', () => {
      throw thrown;
    });
    instance.use(enhancedErrorHandler({ onError: logErrors({ error: collect, warn: collect, info: collect, debug: collect }) }));
    await request(instance).get('/x').expect(503);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.err).toBe(thrown);
  });

  it.each([[undefined], [null], ['console'], [{}], [{ error: 'not a function' }]])('refuses the logger %j at start-up', (logger) => {
    expect(() => logErrors(logger as never)).toThrow(
      new TypeError('logErrors: logger must be a logger (error/warn/info/debug methods) or a function of the request returning one'),
    );
  });

  it('refuses bad arguments at start-up', () => {
    expect(() => logErrors({} as never)).toThrow(/logger must be a logger/);
    expect(() => logErrors(console as never, { clientErrors: 'loud' as never })).toThrow(/clientErrors must be/);
  });
});
