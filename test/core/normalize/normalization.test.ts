import { STATUS_CODES } from 'node:http';
import createError from 'http-errors';
import request from 'supertest';
import { adobePassOptions, createRegistry, enhancedErrorHandler, genericErrorCodes, passRegistry, type RegistryView } from '../../../src';
import { loadShedding } from '../../../src/overload';
import { statusRange } from '../../../src/core/registry/registry';
import { PASS_HELP_URL, passRestV1Registry, passRestV2Registry, vimondRegistry } from '../../../src/core/catalogs';
import { vimondFormatter } from '../../../src/core/formats';
import { appWith, express5Only } from '../../support/apps';
import { serveOnLoopback } from '../../support/loopback';

const SECRET = 'S3CRET-upstream-host';

/** The reason phrase of the status line, as the client read it. */
const reasonOf = (res: request.Response): string => (res as unknown as { res: { statusMessage: string } }).res.statusMessage;

const serviceRegistry = createRegistry(
  { video_gone: { status: 410, action: 'none', message: 'The video is gone.' }, ...genericErrorCodes },
  { name: 'serviceRegistry' },
);

const registries: [string, RegistryView][] = [
  ['passRegistry', passRegistry],
  ['passRestV2Registry', passRestV2Registry],
  ['passRestV1Registry', passRestV1Registry],
  ['vimondRegistry', vimondRegistry],
  ['a service registry', serviceRegistry],
];

const ALL_ERROR_STATUSES = Array.from({ length: 200 }, (_, index) => 400 + index);

describe.each(express5Only)('%s', (_name, express) => {
  describe.each(registries)('every status 400–599 thrown through %s', (_registryName, registry) => {
    const app = appWith(
      express,
      {
        '/http/:status': (req) => {
          throw createError(Number(req.params.status), `${SECRET} said no`);
        },
      },
      { registry },
    );

    it('keeps the thrown status with its standard reason phrase, sends a registry code, redacts 5xx', async () => {
      for (const status of ALL_ERROR_STATUSES) {
        const res = await request(app).get(`/http/${status}`);
        const where = `${registry.name} ${status}`;
        expect([where, res.status]).toEqual([where, status]);
        expect([where, res.body.status]).toEqual([where, status]);
        expect([where, registry.has(res.body.code)]).toEqual([where, true]);
        expect([where, registry.get(res.body.code)?.statuses.includes(status)]).toEqual([where, true]);
        if (status >= 500) expect([where, res.text.includes(SECRET)]).toEqual([where, false]);
        // Node's own phrase, or "unknown" for a status it has none for.
        expect([where, reasonOf(res)]).toEqual([where, STATUS_CODES[status] ?? 'unknown']);
      }
    }, 60_000);
  });

  describe('what the route set and what the error carries', () => {
    const app = appWith(express, {
      '/status-then-throw': (_req, res) => {
        res.status(409);
        throw new Error(SECRET);
      },
      '/status-5xx-then-throw': (_req, res) => {
        res.status(502);
        throw new Error(SECRET);
      },
      '/reason-phrase': (_req, res) => {
        res.statusMessage = 'An Error Occurred';
        throw createError(502);
      },
      '/429-own-wait': () => {
        throw createError(429, { headers: { 'Retry-After': '5' } });
      },
      '/503-own-wait': () => {
        throw createError(503, { headers: { 'Retry-After': '5', 'X-Upstream': SECRET } });
      },
      '/503-own-date': () => {
        throw createError(503, { headers: { 'retry-after': 'Wed, 02 Jan 2030 03:04:05 GMT' } });
      },
      '/502-retry-after-field': () => {
        throw Object.assign(new Error(SECRET), { status: 502, retryAfter: 9 });
      },
      '/503-bad-wait': () => {
        throw createError(503, { headers: { 'Retry-After': 'soon' } });
      },
    });

    it("uses the route's res.statusCode when what was thrown has none", async () => {
      const res = await request(app).get('/status-then-throw').expect(409);
      expect(res.body).toMatchObject({ status: 409, code: 'client_error' });
      const server = await request(app).get('/status-5xx-then-throw').expect(502);
      expect(server.body).toMatchObject({ status: 502, code: 'server_error' });
      expect(server.text).not.toContain(SECRET);
    });

    it("sends the standard reason phrase, not the route's", async () => {
      const res = await request(app).get('/reason-phrase').expect(502);
      expect(reasonOf(res)).toBe('Bad Gateway');
    });

    it("keeps the error's own Retry-After on a 4xx and a 5xx; other 5xx headers stay hidden", async () => {
      expect((await request(app).get('/429-own-wait').expect(429)).headers['retry-after']).toBe('5');
      const unavailable = await request(app).get('/503-own-wait').expect(503);
      expect(unavailable.headers['retry-after']).toBe('5');
      expect(unavailable.headers['x-upstream']).toBeUndefined();
      expect(JSON.stringify(unavailable.headers)).not.toContain(SECRET);
      // A date goes out as the seconds from now to it, as every Retry-After this handler sends.
      const secondsTo2030 = (Date.parse('2030-01-02T03:04:05Z') - Date.now()) / 1000;
      const dated = Number((await request(app).get('/503-own-date').expect(503)).headers['retry-after']);
      expect(Number.isInteger(dated)).toBe(true);
      expect(Math.abs(dated - secondsTo2030)).toBeLessThan(60);
      expect((await request(app).get('/502-retry-after-field').expect(502)).headers['retry-after']).toBe('9');
      // Not a wait at all: no Retry-After for a code whose action is not retry-after.
      expect((await request(app).get('/503-bad-wait').expect(503)).headers['retry-after']).toBeUndefined();
    });
  });

  describe('the default 5xx log line', () => {
    let stderr: jest.SpyInstance;
    beforeEach(() => {
      stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    });
    afterEach(() => stderr.mockRestore());

    it('names the method and path, never the query string', async () => {
      const app = appWith(
        express,
        {
          '/videos/:id': () => {
            throw new Error('database is down');
          },
        },
        { log: true },
      );
      const res = await request(app).post('/videos/42?token=hunter2').set('X-Request-Id', 'req-7').expect(500);
      const lines = stderr.mock.calls.map((call) => String(call[0])).join('');
      expect(lines).toContain(`500 internal_error POST /videos/42 trace=${res.body.trace} requestId=req-7`);
      expect(lines).not.toContain('hunter2');
    });
  });

  describe('Vimond: only pairs of its table are sent', () => {
    const app = appWith(
      express,
      {
        '/http/:status': (req) => {
          throw createError(Number(req.params.status));
        },
      },
      { registry: vimondRegistry, formatters: [vimondFormatter] },
    );

    it.each([
      [401, 'INVALID_AUTHENTICATION', '1000'],
      [404, 'RESOURCE_NOT_FOUND', '1008'],
      [400, 'INVALID_REQUEST_PARAM', '1003'],
      [500, 'INTERNAL_ERROR', '1005'],
      [503, 'SERVICE_UNAVAILABLE', '1004'],
      [418, 'UNKNOWN', '0'],
      [504, 'UNKNOWN', '0'],
    ])('a thrown %i answers %s %s', async (status, title, code) => {
      const res = await request(app).get(`/http/${status}`).expect(status);
      expect(res.body.errors[0]).toMatchObject({ title, code });
    });
  });

  describe('the Adobe Pass preset', () => {
    const app = appWith(
      express,
      {
        '/': () => {
          throw createError(401);
        },
        '/spec': () => {
          throw createError(400);
        },
      },
      { ...adobePassOptions },
    );

    it("echoes Adobe-Request-Id; the registry gives spec codes the specification page, not the library's additions", async () => {
      const res = await request(app).get('/').set('Adobe-Request-Id', 'abc-1').expect(401);
      expect(res.headers['adobe-request-id']).toBe('abc-1');
      expect(res.body).toMatchObject({ code: 'client_error' });
      expect(res.body.helpUrl).toBeUndefined();
      const spec = await request(app).get('/spec').set('Adobe-Request-Id', 'abc-2').expect(400);
      expect(spec.headers['adobe-request-id']).toBe('abc-2');
      expect(spec.body).toMatchObject({ code: 'bad_request', helpUrl: PASS_HELP_URL });
    });
  });
});

describe('registry status options, checked at start-up', () => {
  it('refuses fallbacks that do not cover their class, and unknown codes', () => {
    const definitions = { narrow: { status: 400, action: 'none', message: 'Narrow.' }, ...genericErrorCodes } as const;
    expect(() => createRegistry(definitions, { name: 'r', fallbacks: { clientError: 'narrow', serverError: 'server_error' } })).toThrow(
      'createRegistry(r): fallbacks.clientError: code "narrow" must allow every status from 400 to 499 (statusRange); it lacks 401',
    );
    expect(() => createRegistry(definitions, { name: 'r', statusCodes: { 401: 'narrow' } })).toThrow(
      'createRegistry(r): statusCodes[401]: code "narrow" does not allow status 401',
    );
    expect(() => createRegistry(definitions, { name: 'r', helpUrl: 'ftp://x' })).toThrow(
      'createRegistry(r): helpUrl must be an absolute http(s) URL',
    );
  });

  // Both ends of each class: a check that stopped one status short, or started one late, would let these through.
  const shortOfItsClass = [
    ['clientError', 'lacks 400', statusRange(401, 499), 400],
    ['clientError', 'lacks 499', statusRange(400, 498), 499],
    ['serverError', 'lacks 500', statusRange(501, 599), 500],
    ['serverError', 'lacks 599', statusRange(500, 598), 599],
  ] as const;

  it.each(shortOfItsClass)('refuses a %s fallback that %s', (field, _lacks, statuses, missing) => {
    const narrow = { status: statuses, action: 'none', message: 'Narrow.' } as const;
    const definitions = { ...genericErrorCodes, narrow };
    const fallbacks = { clientError: 'client_error', serverError: 'server_error', [field]: 'narrow' } as const;
    const first = field === 'clientError' ? 400 : 500;
    expect(() => createRegistry(definitions, { name: 'r', fallbacks })).toThrow(
      `createRegistry(r): fallbacks.${field}: code "narrow" must allow every status from ${first} to ${first + 99} (statusRange); it lacks ${missing}`,
    );
  });

  it.each(shortOfItsClass)(
    'takes no default %s fallback from a generic code that %s: the handler refuses the registry',
    (field, _lacks, statuses) => {
      const generic = field === 'clientError' ? 'client_error' : 'server_error';
      const registry = createRegistry(
        { ...genericErrorCodes, [generic]: { ...genericErrorCodes[generic], status: statuses } },
        { name: 'r' },
      );
      expect(registry.fallbacks).toBeUndefined();
      expect(() => enhancedErrorHandler({ registry })).toThrow('registry r has no code for status');
    },
  );

  const noMonitor = { maxEventLoopDelay: false, maxHeapUsedBytes: false } as const;
  const elsewhere = createRegistry({ elsewhere_down: { status: 503, action: 'retry', message: 'Down.' }, ...genericErrorCodes });
  const toElsewhere = () => elsewhere.create('elsewhere_down');

  it('refuses, in the load shedder, a mapper that moves the thrown 503 to another status', () => {
    expect(() => loadShedding({ ...noMonitor, mappers: [() => passRegistry.create('server_error', { status: 500 })] })).toThrow(
      'loadShedding: a thrown 503 is answered 500 server_error (a mapper changes its status), so passRegistry gives no code for status 503: ' +
        'pass the code option, or let the mappers leave a 503 alone',
    );
  });

  it("refuses, in the load shedder under strictCodes 'keep', a mapper that answers the thrown 503 with a code the registry lacks", () => {
    expect(() => loadShedding({ ...noMonitor, registry: vimondRegistry, strictCodes: 'keep', mappers: [toElsewhere] })).toThrow(
      "loadShedding: a thrown 503 is answered 503 elsewhere_down, which is not a code of vimondRegistry (strictCodes 'keep' sends a mapper's code as it is): " +
        'pass the code option, or make the mapper answer a code of vimondRegistry',
    );
  });

  it.each(express5Only)(
    "sheds, on %s under strictCodes 'map', with the registry's 503 code where a mapper answers a thrown 503 with another registry's code",
    async (_name, express) => {
      const options = { registry: vimondRegistry, mappers: [toElsewhere], log: false } as const;
      const shedding = loadShedding({ ...noMonitor, ...options, maxInFlight: 1 });
      let release!: () => void;
      let entered!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const inRoute = new Promise<void>((resolve) => (entered = resolve));
      const app = express();
      app.use(shedding);
      app.get('/held', async (_req, res) => {
        entered();
        await held;
        res.send('held');
      });
      app.get('/unavailable', () => {
        throw createError(503);
      });
      app.use(enhancedErrorHandler(options));
      const server = await serveOnLoopback(app);
      try {
        const first = fetch(`${server.url}/held`);
        await inRoute;
        const shed = await fetch(`${server.url}/unavailable`);
        release();
        await first;
        const thrown = await fetch(`${server.url}/unavailable`);
        expect([shed.status, thrown.status]).toEqual([503, 503]);
        const shedBody = (await shed.json()) as { code: string };
        const thrownBody = (await thrown.json()) as { code: string };
        // The handler maps the mapper's elsewhere_down; the shedder answers that same code.
        expect(thrownBody.code).toBe('service_unavailable_1004');
        expect(shedBody.code).toBe(thrownBody.code);
      } finally {
        release();
        shedding.stop();
        await server.close();
      }
    },
  );

  it('refuses, in the handler, a registry that leaves a status without a code', () => {
    const bare = createRegistry({ video_gone: { status: 410, action: 'none', message: 'Gone.' } }, { name: 'bare' });
    expect(() => enhancedErrorHandler({ registry: bare })).toThrow(
      new TypeError(
        'registry bare has no code for status 400, 401, 402, 403, 404, …: ' +
          'give createRegistry a fallbacks option ({ clientError, serverError }) or map them in statusCodes',
      ),
    );
  });

  it.each([
    [595, '595, 596, 597, 598, 599'],
    [594, '594, 595, 596, 597, 598, …'],
  ])('names at most five statuses left without a code (the first unmapped is %d)', (firstMissing, named) => {
    // The generic codes under other names: no fallbacks, so only statusCodes give a status its code.
    const generic = createRegistry({ client: genericErrorCodes.client_error, server: genericErrorCodes.server_error }, { name: 'generic' });
    const statusCodes: Record<number, 'client' | 'server'> = {};
    for (let status = 400; status < firstMissing; status++) statusCodes[status] = status < 500 ? 'client' : 'server';
    expect(() => enhancedErrorHandler({ registry: generic, statusCodes })).toThrow(
      `registry generic has no code for status ${named}: give`,
    );
  });

  it("gives every code without its own the registry's helpUrl, but not the library's additions", () => {
    const withBase = createRegistry(
      {
        video_gone: { status: 410, action: 'none', message: 'Gone.' },
        video_moved: { status: 410, action: 'none', message: 'Moved.', helpUrl: 'https://docs.example.com/moved' },
        documented_not_found: { ...genericErrorCodes.not_found, helpUrl: 'https://docs.example.com/404' },
        ...genericErrorCodes,
      },
      { helpUrl: 'https://docs.example.com/errors' },
    );
    expect(withBase.get('video_gone').helpUrl).toBe('https://docs.example.com/errors');
    expect(withBase.get('video_moved').helpUrl).toBe('https://docs.example.com/moved');
    expect(withBase.get('documented_not_found').helpUrl).toBe('https://docs.example.com/404');
    expect(withBase.get('client_error').helpUrl).toBeUndefined();
    expect(withBase.get('not_found').helpUrl).toBeUndefined();
  });

  it('defaults REST v1 internal_error to 500, as its name says', () => {
    expect(passRestV1Registry.create('internal_error').status).toBe(500);
  });
});
