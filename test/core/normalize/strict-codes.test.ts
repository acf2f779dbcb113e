/**
 * strictCodes: an EnhancedError whose code the handler's registry lacks (made
 * by another registry, or by hand) is answered with the registry's code for
 * its status, as a thrown http-errors error of that status would be; 'keep'
 * sends it as it is.
 */
import createError from 'http-errors';
import request from 'supertest';
import type { Request, Response } from 'express';
import {
  createRegistry,
  EnhancedError,
  type EnhancedErrorHandlerOptions,
  type ErrorContext,
  genericErrorCodes,
  passRegistry,
} from '../../../src';
import type { RegistryView } from '../../../src';
import { passRestV1Registry, passRestV2Registry, vimondRegistry } from '../../../src/core/catalogs';
import { loadShedding } from '../../../src/overload';
import { appWith, type ExpressFactory, express5Only } from '../../support/apps';
import { itemsAppWith } from '../../support/item-apps';

const BUILT_IN: readonly (readonly [string, RegistryView])[] = [
  ['passRegistry', passRegistry],
  ['passRestV2Registry', passRestV2Registry],
  ['passRestV1Registry', passRestV1Registry],
  ['vimondRegistry', vimondRegistry],
];

/** A 4xx code of another built-in registry that `registry` lacks. */
function foreignCodeFor(registry: RegistryView): EnhancedError {
  for (const [, other] of BUILT_IN) {
    for (const entry of other) {
      if (!registry.has(entry.code) && entry.status < 500) return other.create(entry.code, { details: 'The thrown details.' });
    }
  }
  throw new Error(`no foreign code for ${registry.name}`);
}

const madeUp = (status: number) =>
  new EnhancedError({ code: 'made_up', status, action: 'retry', message: 'A code no registry has.', details: 'Its details.' });

/** The app, and what a thrown http-errors error of `status` answers under the same options. */
function appFor(express: ExpressFactory, thrown: () => unknown, options: EnhancedErrorHandlerOptions) {
  return appWith(
    express,
    {
      '/thrown': () => {
        throw thrown();
      },
      '/status/:status': (req) => {
        throw createError(Number(req.params.status));
      },
    },
    options,
  );
}

describe.each(express5Only)('%s', (_name, express) => {
  describe.each(BUILT_IN)('under %s', (_registryName, registry) => {
    const foreign = foreignCodeFor(registry);

    it.each([
      ['a code of another registry', () => foreign],
      ['a made-up code', () => madeUp(409)],
    ])("answers %s with the registry's code for its status, its text as details", async (_case, thrown) => {
      const app = appFor(express, thrown, { registry });
      const error = thrown();
      const res = await request(app).get('/thrown').set('Accept', 'application/json').expect(error.status);
      const byStatus = await request(app).get(`/status/${error.status}`).set('Accept', 'application/json').expect(error.status);
      expect(res.body.code).not.toBe(error.code);
      expect(registry.has(res.body.code)).toBe(true);
      expect(res.body).toMatchObject({ code: byStatus.body.code, status: error.status, message: byStatus.body.message });
      expect(res.body.details).toBe(error.details);
    });

    it('keeps the code as it is with strictCodes: keep', async () => {
      const app = appFor(express, () => foreign, { registry, strictCodes: 'keep' });
      const res = await request(app).get('/thrown').set('Accept', 'application/json').expect(foreign.status);
      expect(res.body).toMatchObject({ code: foreign.code, message: foreign.message, details: 'The thrown details.' });
    });

    it('sends its own codes as they are', async () => {
      const own = registry.create(registry.codes[0] as string, { details: 'Own details.' });
      const res = await request(appFor(express, () => own, { registry }))
        .get('/thrown')
        .set('Accept', 'application/json')
        .expect(own.status);
      expect(res.body).toMatchObject({ code: own.code, message: own.message, details: 'Own details.' });
    });
  });

  it('reveals nothing of a foreign 5xx but its wait, as for a thrown http-errors 5xx', async () => {
    const secret = new EnhancedError({
      code: 'upstream_secret',
      status: 503,
      action: 'retry-after',
      message: 'db-7 refused the connection',
      details: 'password=hunter2',
      retryAfter: 30,
      headers: { 'X-Internal-Host': 'db-7' },
    });
    const res = await request(appFor(express, () => secret, {}))
      .get('/thrown')
      .expect(503);
    expect(res.body).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(res.body.details).toBeUndefined();
    expect(res.headers['retry-after']).toBe('30');
    expect(res.headers['x-internal-host']).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(/db-7|hunter2/);
  });

  it('keeps the headers and field errors a foreign 4xx carries for the client', async () => {
    const limited = new EnhancedError({
      code: 'quota_spent',
      status: 429,
      action: 'retry-after',
      message: 'The quota is spent.',
      retryAfter: 12,
      headers: { 'X-Quota': 'monthly' },
    });
    const res = await request(appFor(express, () => limited, {}))
      .get('/thrown')
      .expect(429);
    expect(res.body).toMatchObject({ code: 'too_many_requests', action: 'retry-after', details: 'The quota is spent.' });
    expect(res.headers['retry-after']).toBe('12');
    expect(res.headers['x-quota']).toBe('monthly');
  });

  it('tells onError once per foreign code, naming it and the code sent; every error is still reported', async () => {
    const reports: [EnhancedError, ErrorContext][] = [];
    const app = appWith(
      express,
      {
        '/made-up': () => {
          throw madeUp(409);
        },
        '/other': () => {
          throw passRestV1Registry.create('invalid_requestor');
        },
      },
      { onError: (error, context) => reports.push([error, context]) },
    );
    await request(app).get('/made-up').expect(409);
    await request(app).get('/made-up').expect(409);
    await request(app).get('/other').expect(400);
    expect(reports.map(([error]) => error.code)).toEqual(['client_error', 'client_error', 'bad_request']);
    const notes = reports.map(([error]) =>
      error.cause instanceof Error && error.cause.name === 'ForeignCodeError' ? error.cause : undefined,
    );
    expect(notes[1]).toBeUndefined();
    expect(notes[0]?.message).toBe(
      'code "made_up" is not a code of passRegistry: answered 409 client_error instead (strictCodes: \'map\'; told once per code)',
    );
    expect(notes[0]?.cause).toBeInstanceOf(EnhancedError);
    expect((notes[0]?.cause as EnhancedError).code).toBe('made_up');
    expect(notes[2]?.message).toContain('code "invalid_requestor" is not a code of passRegistry: answered 400 bad_request');
    // Later errors of a code already told carry the thrown error as their cause, like any other.
    expect((reports[1]?.[0].cause as EnhancedError).code).toBe('made_up');
  });

  it('writes one line per foreign code to the default log, for a 4xx too', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const app = appWith(
        express,
        {
          '/': () => {
            throw madeUp(404);
          },
        },
        { log: true },
      );
      await request(app).get('/').expect(404);
      await request(app).get('/').expect(404);
      const lines = stderr.mock.calls.map((call) => String(call[0]));
      expect(lines).toEqual([
        'express-enhanced-errors: code "made_up" is not a code of passRegistry: answered 404 not_found instead (strictCodes: \'map\'; told once per code)\n',
      ]);
    } finally {
      stderr.mockRestore();
    }
  });

  it("maps a user registry's foreign codes by default too", async () => {
    const own = createRegistry({ ...genericErrorCodes, video_not_found: { status: 404, action: 'none', message: 'No such video.' } });
    const res = await request(appFor(express, () => passRegistry.create('bad_request'), { registry: own }))
      .get('/thrown')
      .expect(400);
    expect(res.body.code).toBe('client_error');
  });

  it.each([
    ['map', ['client_error', 'bad_request']],
    ['keep', ['made_up', 'bad_request']],
  ] as const)('applies the same rule to item-level errors (strictCodes: %s)', async (strictCodes, codes) => {
    const app = itemsAppWith(
      express,
      {
        '/items': (errors) => (req: Request, res: Response) =>
          errors.sendItems(req, res, {
            collection: 'resources',
            items: [
              { id: 'a', error: madeUp(409) },
              { id: 'b', error: passRegistry.create('bad_request') },
            ],
          }),
      },
      { strictCodes },
    );
    const res = await request(app).post('/items').expect(200);
    expect(res.body.resources.map((item: { error: { code: string } }) => item.error.code)).toEqual(codes);
  });
});

describe('the strictCodes option', () => {
  it.each(['strict', true, null, 1])('refuses %p at start-up, in the handler and in every helper that takes its options', (value) => {
    const options = { strictCodes: value } as unknown as EnhancedErrorHandlerOptions;
    expect(() => appWith(express5Only[0][1], {}, options)).toThrow("strictCodes option must be 'map' or 'keep'");
    expect(() => loadShedding({ ...options, maxEventLoopDelay: false, maxHeapUsedBytes: false })).toThrow(
      "strictCodes option must be 'map' or 'keep'",
    );
  });
});
