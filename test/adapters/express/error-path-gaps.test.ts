import type { Request, Response } from 'express';
import createHttpError from 'http-errors';
import request from 'supertest';
import { createRegistry, enhancedErrorHandler, type Formatter, genericErrorCodes, passRegistry } from '../../../src';
import { vimondCodes, vimondRegistry } from '../../../src/core/catalogs';
import {
  createJsonFormatter,
  createVimondFormatter,
  createXmlFormatter,
  jsonFormatter,
  problemJsonFormatter,
  vimondFormatter,
  xmlFormatter,
} from '../../../src/core/formats';
import { planRetry } from '../../../src/items';
import { appWith, expressVersions } from '../../support/apps';
import { itemsAppWith } from '../../support/item-apps';
import { serveOnLoopback } from '../../support/loopback';

/*
 * Small bugs made on purpose in the error path, one at a time, that the rest
 * of the suite let through. Each test here fails on its bug.
 */

/** A registry of one's own, with a retry-after code whose registry delay is 7 or 0 seconds, and no internal_error. */
const ownRegistry = createRegistry({
  slow_down: { status: 429, action: 'retry-after', message: 'Slow down.', retryAfter: 7 },
  come_back_now: { status: 503, action: 'retry-after', message: 'Come back now.', retryAfter: 0 },
  channel_missing: { status: 404, action: 'none', message: 'No such channel.' },
  // The generic fallbacks every registry needs: server_error, not internal_error.
  ...genericErrorCodes,
});

/** What a 5xx must never show: the thrown message, as a database driver might write it. */
const SECRET = 'db password=hunter2 at 10.0.0.7';

describe.each(expressVersions)('%s: Retry-After precedence (error, then registry, then handler default)', (_name, express) => {
  const app = appWith(
    express,
    {
      '/own-over-registry': () => {
        throw ownRegistry.create('slow_down', { retryAfter: 30 });
      },
      '/own-zero-over-registry': () => {
        throw ownRegistry.create('slow_down', { retryAfter: 0 });
      },
      '/registry-zero-over-default': () => {
        throw ownRegistry.create('come_back_now');
      },
      '/own-zero-over-default': () => {
        throw passRegistry.create('too_many_requests', { retryAfter: 0 });
      },
    },
    // Codes of two registries, each sent as it is.
    { retryAfter: 120, strictCodes: 'keep' },
  );

  it.each([
    ['/own-over-registry', 429, '30'],
    ['/own-zero-over-registry', 429, '0'],
    ['/registry-zero-over-default', 503, '0'],
    ['/own-zero-over-default', 429, '0'],
  ])('%s answers %d with Retry-After %s', async (path, status, retryAfter) => {
    const res = await request(app).get(path).expect(status);
    expect(res.headers['retry-after']).toBe(retryAfter);
  });

  it.each([
    ["the error's own delay over the registry's", () => ownRegistry.create('slow_down', { retryAfter: 3 }), '3'],
    ["the registry's 0 over the handler default", () => ownRegistry.create('come_back_now'), '0'],
    ["the error's own 0 over the registry's", () => ownRegistry.create('slow_down', { retryAfter: 0 }), '0'],
  ])('applies the same order to an item error: %s', async (_label, makeError, retryAfter) => {
    const app = itemsAppWith(
      express,
      {
        '/items': (errors) => (req: Request, res: Response) =>
          errors.sendItems(req, res, { collection: 'resources', items: [{ id: 'a', error: makeError() }] }),
      },
      { registry: ownRegistry, retryAfter: 120 },
    );
    const res = await request(app).post('/items').expect(200);
    expect(res.headers['retry-after']).toBe(retryAfter);
  });
});

describe.each(expressVersions)('%s: a registry without internal_error still redacts every 5xx', (_name, express) => {
  const thrown: Record<string, () => unknown> = {
    'an Error': () => new Error(SECRET),
    'an http-errors 500 marked expose': () => createHttpError(500, SECRET, { expose: true }),
    'a 502 with expose and headers': () => Object.assign(new Error(SECRET), { status: 502, expose: true, headers: { 'X-Db': SECRET } }),
    'a plain object with statusCode 500': () => ({ statusCode: 500, message: SECRET, expose: true }),
    'a string': () => SECRET,
  };
  const routes = Object.fromEntries(
    Object.entries(thrown).map(([_label, make], index) => [
      `/thrown/${index}`,
      () => {
        throw make();
      },
    ]),
  );
  const cases = Object.keys(thrown).map((label, index) => [label, `/thrown/${index}`] as const);

  describe.each([
    ['a registry of its own', { registry: ownRegistry }],
    [
      'Vimond without its status map',
      { registry: createRegistry({ ...withoutInternalError(vimondCodes), ...genericErrorCodes }), formatters: [vimondFormatter] },
    ],
  ] as const)('%s', (_registryName, options) => {
    const app = appWith(express, routes, options);

    it.each(cases)('%s: no details, no message of its own, nothing of the original', async (_label, path) => {
      for (const accept of ['application/json', 'application/xml']) {
        const res = await request(app).get(path).set('Accept', accept);
        expect(res.status).toBeGreaterThanOrEqual(500);
        const raw = `${JSON.stringify(res.headers)}\n${res.text}`;
        expect(raw).not.toContain('hunter2');
        expect(raw).not.toContain('details');
        // The registry's own 5xx code: server_error (or Vimond's UNKNOWN), never a code made up from the original.
        expect(res.text).toMatch(options.registry === ownRegistry ? /server_error/ : /UNKNOWN|server_error/);
        // The handler's own answer in the format asked for, not its last-resort JSON.
        if (!('formatters' in options)) expect(res.headers['content-type']).toContain(accept);
      }
    });
  });
});

describe.each(expressVersions)('%s: a foreign 4xx keeps its status', (_name, express) => {
  const thrown: [string, () => unknown, number][] = [
    ['{ status: 404, expose: true, message: 42 }', () => ({ status: 404, expose: true, message: 42 }), 404],
    ['{ statusCode: 409 }', () => ({ statusCode: 409 }), 409],
    ['{ status: 200, statusCode: 422 }', () => ({ status: 200, statusCode: 422 }), 422],
    ['an Error with status 410', () => Object.assign(new Error('gone'), { status: 410 }), 410],
    ['http-errors 418', () => createHttpError(418), 418],
  ];
  const app = appWith(
    express,
    Object.fromEntries(
      thrown.map(([, make], index) => [
        `/thrown/${index}`,
        () => {
          throw make();
        },
      ]),
    ),
  );

  it.each(thrown.map(([label, , status], index) => [label, status, index] as const))('%s answers %d', async (_label, status, index) => {
    const res = await request(app).get(`/thrown/${index}`).expect(status);
    expect(res.body.status).toBe(status);
  });
});

/** The Vimond codes without the one a 500 maps to, as a service's own subset would be. */
function withoutInternalError<T extends Record<string, unknown>>(codes: T): Record<string, T[keyof T]> {
  return Object.fromEntries(Object.entries(codes).filter(([code]) => !code.startsWith('internal_error'))) as Record<string, T[keyof T]>;
}

describe.each(expressVersions)("%s: an item's Retry-After from a date", (_name, express) => {
  it('rounds a part second up, so that a client never comes back early', async () => {
    // Half a second past a whole second: the delay counts it, rounded up.
    const at = Math.ceil((Date.now() + 90_000) / 1000) * 1000 + 500;
    const app = itemsAppWith(express, {
      '/items': (errors) => (req: Request, res: Response) =>
        errors.sendItems(req, res, {
          collection: 'resources',
          items: [{ id: 'a', error: passRegistry.create('too_many_requests', { retryAfter: new Date(at) }) }],
        }),
    });
    const before = Date.now();
    const res = await request(app).post('/items').expect(200);
    const after = Date.now();
    const seconds = Number(res.headers['retry-after']);
    // Counted from the moment the response was made, rounded up to a whole second.
    expect(seconds * 1000).toBeGreaterThanOrEqual(at - after);
    expect(seconds * 1000).toBeLessThan(at - before + 1000);
  });
});

describe('planRetry with a Retry-After date', () => {
  it('rounds a part second up', () => {
    const now = Date.parse('2030-01-01T00:00:00.250Z');
    const items = [{ id: 'a', error: passRegistry.create('too_many_requests', { retryAfter: new Date('2030-01-01T00:01:31.900Z') }) }];
    // 91.65 s from now, so 92: the same seconds the response's Retry-After says.
    expect(planRetry(items, { now }).retryAfter).toBe(92);
  });
});

describe.each(expressVersions)('%s: a 4xx no registry code covers', (_name, express) => {
  const app = appWith(express, {
    '/status/:status': (req) => {
      throw { status: Number(req.params.status) };
    },
    '/exposed/:kind': (req) => {
      const message = { phrase: 'Conflict', empty: '', own: 'The seat is taken.' }[String(req.params.kind)];
      throw Object.assign(new Error(), { status: 409, expose: req.query.expose === undefined ? true : req.query.expose, message });
    },
  });

  // Every code sent is a registry member: a 4xx the catalog has no code for answers the generic client_error, its status kept.
  it.each([
    [418, 'client_error', 'The request could not be processed.'],
    [451, 'client_error', 'The request could not be processed.'],
    [499, 'client_error', 'The request could not be processed.'],
  ])('%d answers the code %s and the message %j, the same every time', async (status, code, message) => {
    for (let time = 0; time < 2; time += 1) {
      const res = await request(app).get(`/status/${status}`).expect(status);
      expect(res.body).toEqual({ action: 'none', status, code, message, trace: res.body.trace });
    }
  });

  it.each([
    ['the status phrase itself', '/exposed/phrase', undefined],
    ['an empty message', '/exposed/empty', undefined],
    ['its own message', '/exposed/own', 'The seat is taken.'],
    ['its own message, expose "true" (a string)', '/exposed/own?expose=true', undefined],
  ])('an exposed message that is %s (%s): details %j', async (_label, path, details) => {
    const res = await request(app).get(path).expect(409);
    expect(res.body).toMatchObject({ status: 409, code: 'client_error' });
    expect(res.body.details).toBe(details);
  });
});

describe.each(expressVersions)("%s: a registry helpUrl and the handler's length limit", (_name, express) => {
  const helpUrl = 'https://example.com/errors#seat_taken';
  const registry = createRegistry({ seat_taken: { status: 409, action: 'none', message: 'Seat taken.', helpUrl }, ...genericErrorCodes });
  const routes = {
    '/': () => {
      throw registry.create('seat_taken');
    },
  };

  it.each([
    [helpUrl.length, helpUrl],
    [helpUrl.length - 1, undefined],
  ])("with limits.helpUrl %d the body's helpUrl is %s", async (limit, expected) => {
    const res = await request(appWith(express, routes, { registry, limits: { helpUrl: limit } }))
      .get('/')
      .expect(409);
    expect(res.body.helpUrl).toBe(expected);
  });
});

describe('options checked at start-up', () => {
  it.each([
    [{ statusCodes: { 200: 'bad_request' } }, 'statusCodes: 200 is not a 4xx/5xx status'],
    [{ statusCodes: { 600: 'bad_request' } }, 'statusCodes: 600 is not a 4xx/5xx status'],
    [{ statusCodes: { 404: 'nope' } }, 'statusCodes[404]: passRegistry has no code "nope"'],
    [{ statusCodes: { 404: 'bad_request' } }, 'statusCodes[404]: code "bad_request" does not allow status 404 (allowed: 400)'],
    [
      { statusCodes: { 404: 'server_error' } },
      `statusCodes[404]: code "server_error" does not allow status 404 (allowed: ${Array.from({ length: 100 }, (_, index) => 500 + index).join(', ')})`,
    ],
    [{ helpUrl: 42 as unknown as string }, 'helpUrl option must be a URL string or a function'],
  ])('%j is refused with a TypeError naming the option', (options, message) => {
    expect(() => enhancedErrorHandler(options)).toThrow(new TypeError(message));
  });
});

describe('formatter options checked at start-up', () => {
  it.each([
    ['createJsonFormatter', createJsonFormatter],
    ['createXmlFormatter', createXmlFormatter],
  ] as const)('%s refuses options that are not an object, and a fieldErrors that is not a boolean', (name, create) => {
    expect(() => create(null as never)).toThrow(new TypeError(`${name}: options must be an object`));
    expect(() => create('yes' as never)).toThrow(new TypeError(`${name}: options must be an object`));
    expect(() => create({ fieldErrors: 'yes' } as never)).toThrow(new TypeError(`${name}: fieldErrors must be a boolean`));
  });

  it.each([
    [{ vimondCode: '12a', title: 'FINE' }, 'vimondCode must be a string of digits, got "12a"'],
    [{ vimondCode: 1002, title: 'FINE' }, 'vimondCode must be a string of digits, got 1002'],
    [{ vimondCode: '1002', title: 'FINE_but_not' }, 'title must be UPPER_SNAKE_CASE, got "FINE_but_not"'],
    [{ vimondCode: '1002', title: 'not_FINE' }, 'title must be UPPER_SNAKE_CASE, got "not_FINE"'],
    [{ vimondCode: '1002', title: ['FINE'] }, 'title must be UPPER_SNAKE_CASE, got object'],
  ])('createVimondFormatter refuses the row %j', (row, message) => {
    expect(() => createVimondFormatter({ own_code: row } as never)).toThrow(new TypeError(`createVimondFormatter: "own_code": ${message}`));
  });

  it.each([[null], ['yes']])('createVimondFormatter refuses the catalog %j', (catalog) => {
    expect(() => createVimondFormatter(catalog as never)).toThrow(
      new TypeError('createVimondFormatter: catalog must be an object keyed by code'),
    );
  });
});

describe.each(expressVersions)('%s: an EnhancedError rebuilt because it has an accessor', (_name, express) => {
  // A getter on message makes normalize copy the error's fields into a new one: what it copies must be what was sent.
  const rebuilt = (omittedFields: number) => () => {
    const error = passRegistry.create('invalid_parameter_value', { fields: [{ pointer: '/name', message: 'Too short.' }] });
    Object.defineProperty(error, 'message', { get: () => 'Read through a getter.' });
    Object.defineProperty(error, 'omittedFields', { value: omittedFields });
    throw error;
  };
  const app = appWith(
    express,
    { '/omitted/3': rebuilt(3), '/omitted/-1': rebuilt(-1), '/omitted/1.5': rebuilt(1.5) },
    { formatters: [createJsonFormatter({ fieldErrors: true })] },
  );

  it('keeps its count of omitted field errors', async () => {
    const res = await request(app).get('/omitted/3').expect(400);
    expect(res.body).toMatchObject({ message: 'Read through a getter.', fields: [{ pointer: '/name' }], omittedFields: 3 });
  });

  it.each([['-1'], ['1.5']])('drops a count of %s rather than failing the error', async (count) => {
    const res = await request(app).get(`/omitted/${count}`).expect(400);
    expect(res.body).toMatchObject({ code: 'invalid_parameter_value', fields: [{ pointer: '/name' }] });
    expect(res.body).not.toHaveProperty('omittedFields');
  });
});

describe.each(expressVersions)('%s: which EnhancedErrors are passed on as thrown, and which are copied', (_name, express) => {
  // onError gets the error thrown when all of it is plain data; one with a Proxy in it is
  // copied once (its traps run once, inside normalize) and onError gets the copy.
  function reportedFor(headers: Record<string, string>) {
    const thrown = passRegistry.create('bad_request', { headers });
    const reported: unknown[] = [];
    const app = appWith(
      express,
      {
        '/': () => {
          throw thrown;
        },
      },
      { onError: (error) => reported.push(error) },
    );
    return { app, thrown, reported };
  }

  it('passes on an error whose headers are plain data', async () => {
    const { app, thrown, reported } = reportedFor({ 'X-Plain': 'yes' });
    const res = await request(app).get('/').expect(400);
    expect(res.headers['x-plain']).toBe('yes');
    expect(reported).toEqual([thrown]);
    expect(reported[0]).toBe(thrown);
  });

  it('copies an error whose headers are a Proxy, reading them once', async () => {
    let reads = 0;
    const headers = new Proxy<Record<string, string>>(
      { 'X-Proxied': 'yes' },
      {
        get(target, key, receiver) {
          if (key === 'X-Proxied') reads += 1;
          return Reflect.get(target, key, receiver);
        },
      },
    );
    const { app, thrown, reported } = reportedFor(headers);
    const res = await request(app).get('/').expect(400);
    expect(res.headers['x-proxied']).toBe('yes');
    expect(reads).toBe(1);
    expect(reported).toHaveLength(1);
    expect(reported[0]).not.toBe(thrown);
    expect((reported[0] as Error).cause).toBe(thrown);
  });
});

describe.each(expressVersions)('%s: a thrown value that throws while read', (_name, express) => {
  // Unknown, so a 500: not the status the route set before it threw, which belonged to another answer.
  const app = appWith(express, {
    '/': (_req, res) => {
      res.status(404);
      throw Object.defineProperty({}, 'status', {
        get() {
          throw new Error(SECRET);
        },
      });
    },
  });

  it('answers a redacted 500, whatever status the route had set', async () => {
    const res = await request(app).get('/').expect(500);
    expect(res.body.code).toBe('internal_error');
    expect(res.text).not.toContain('hunter2');
  });
});

describe.each(expressVersions)('%s: a thrown value without a status of its own', (_name, express) => {
  // It gets the status the route set, but nothing of it is shown: only a status it carries makes it a client error that speaks.
  const app = appWith(express, {
    '/': (_req, res) => {
      res.status(404);
      throw { expose: true, message: 'Looks exposed.', headers: { 'X-From-Thrown': 'yes' } };
    },
  });

  it("answers the route's 404 without the value's message or headers", async () => {
    const res = await request(app).get('/').expect(404);
    expect(res.body.code).toBe('not_found');
    expect(res.body).not.toHaveProperty('details');
    expect(res.headers['x-from-thrown']).toBeUndefined();
  });
});

describe.each(expressVersions)('%s: the status line of a status Node has no phrase for', (_name, express) => {
  const app = appWith(express, {
    '/': () => {
      throw createHttpError(599, 'Network connect timeout');
    },
  });

  it("says 'unknown', as Node does", async () => {
    const server = await serveOnLoopback(app);
    try {
      const response = await fetch(server.url);
      expect(response.status).toBe(599);
      expect(response.statusText).toBe('unknown');
    } finally {
      await server.close();
    }
  });
});

describe.each(expressVersions)('%s: an EnhancedError whose field errors were replaced after construction', (_name, express) => {
  // Only the frozen list the constructor built is trusted; another list may hold getters or change later, so it is dropped.
  const app = appWith(
    express,
    {
      '/': () => {
        const error = passRegistry.create('invalid_parameter_value', { details: 'Check the name.' });
        Object.defineProperty(error, 'fields', { value: [{ pointer: '/name', message: 'Replaced.' }] });
        throw error;
      },
    },
    { formatters: [createJsonFormatter({ fieldErrors: true })] },
  );

  it('is answered without them', async () => {
    const res = await request(app).get('/').expect(400);
    expect(res.body).toMatchObject({ code: 'invalid_parameter_value', details: 'Check the name.' });
    expect(res.body).not.toHaveProperty('fields');
  });
});

describe.each(expressVersions)('%s: an EnhancedError with a setter-only accessor', (_name, express) => {
  // Unreadable like one whose getter throws: copied, found invalid, and answered as unknown.
  const app = appWith(express, {
    '/': () => {
      const error = passRegistry.create('bad_request');
      Object.defineProperty(error, 'code', { set() {} });
      throw error;
    },
  });

  it('is a redacted 500', async () => {
    const res = await request(app).get('/').expect(500);
    expect(res.body.code).toBe('internal_error');
  });
});

describe.each(expressVersions)('%s: negotiation among formatters', (_name, express) => {
  const route = {
    '/': () => {
      throw passRegistry.create('bad_request');
    },
  };
  /** A default of one's own that no wildcard of the other formatters' types reaches. */
  const textFormatter: Formatter = {
    mediaTypes: ['text/plain'],
    contentType: 'text/plain; charset=utf-8',
    formatError: (envelope) => `${envelope.code}: ${envelope.message}`,
  };

  it('gives a media type two formatters share to the one configured first', async () => {
    const app = appWith(express, route, { formatters: [jsonFormatter, vimondFormatter, xmlFormatter] });
    const res = await request(app).get('/').set('Accept', 'application/json').expect(400);
    expect(res.body).toMatchObject({ code: 'bad_request', action: 'none' });
  });

  it('answers a wildcard of another formatter type with that formatter', async () => {
    const app = appWith(express, route, { formatters: [jsonFormatter, xmlFormatter] });
    const res = await request(app).get('/').set('Accept', 'text/*').expect(400);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
  });

  it('passes over an explicit-only formatter reached by a wildcard, to the next one it matches', async () => {
    const app = appWith(express, route, {
      formatters: [textFormatter, problemJsonFormatter, jsonFormatter],
      defaultType: 'text/plain',
    });
    const res = await request(app).get('/').set('Accept', 'application/*').expect(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body.code).toBe('bad_request');
  });

  it('gives an explicit-only formatter that is the default to a wildcard', async () => {
    const app = appWith(express, route, {
      formatters: [problemJsonFormatter, jsonFormatter],
      defaultType: 'application/problem+json',
    });
    const res = await request(app).get('/').set('Accept', 'application/*').expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe.each(expressVersions)('%s: a problem field pointer with characters outside ASCII', (_name, express) => {
  const app = appWith(
    express,
    {
      '/': () => {
        throw passRegistry.create('invalid_parameter_value', {
          fields: [
            { pointer: '/titre/😀', message: 'A pair.' },
            { pointer: '/a\uD800b', message: 'A lone high surrogate.' },
            { pointer: '/a\uDC00', message: 'A lone low surrogate.' },
          ],
        });
      },
    },
    { formatters: [jsonFormatter, problemJsonFormatter] },
  );

  it('percent-encodes a surrogate pair as its UTF-8 and a lone surrogate as U+FFFD', async () => {
    const res = await request(app).get('/').set('Accept', 'application/problem+json').expect(400);
    expect(JSON.parse(res.text).errors.map((error: { pointer: string }) => error.pointer)).toEqual([
      '#/titre/%F0%9F%98%80',
      '#/a%EF%BF%BDb',
      '#/a%EF%BF%BD',
    ]);
  });
});

describe.each(expressVersions)('%s: an EnhancedError changed after construction', (_name, express) => {
  // No longer a valid error: read like any other thrown value, by the status it carries.
  const changed = (field: string, value: unknown) => () => {
    const error = passRegistry.create('invalid_parameter_value', { details: 'Check the name.' });
    Object.defineProperty(error, field, { value });
    throw error;
  };
  const app = appWith(
    express,
    {
      '/status': changed('status', 200),
      '/code': changed('code', 'Not A Code!'),
      '/action': changed('action', 'panic'),
      '/details': changed('details', 42),
    },
    { formatters: [jsonFormatter, vimondFormatter] },
  );

  it('to a status that is not an error: a redacted 500', async () => {
    const res = await request(app).get('/status').expect(500);
    expect(res.body.code).toBe('internal_error');
    expect(res.text).not.toContain('Check the name.');
  });

  it.each([['/code'], ['/action'], ['/details']])('%s: the code of its status, 400, its message exposed as a 4xx is', async (path) => {
    const res = await request(app).get(path).expect(400);
    expect(res.body.code).toBe('bad_request');
    expect(res.body.details).toBe(passRegistry.get('invalid_parameter_value').message);
  });
});

describe.each(expressVersions)('%s: Vimond and an empty list of field errors', (_name, express) => {
  const app = appWith(
    express,
    {
      '/': () => {
        throw vimondRegistry.create('invalid_query_param_1002', { fields: [] });
      },
    },
    { registry: vimondRegistry, formatters: [vimondFormatter] },
  );

  it('sends the error as one entry', async () => {
    const res = await request(app).get('/').expect(400);
    expect(res.body).toEqual({ errors: [{ title: 'INVALID_QUERY_PARAM', detail: 'Empty or invalid query parameter', code: '1002' }] });
  });
});

describe.each(expressVersions)('%s: field errors in the Pass JSON body', (_name, express) => {
  // Built inside the test, so that the mutation run counts it as covering the formatter's construction.
  it('are written with fieldErrors: true, and left out by default', async () => {
    const route = {
      '/': () => {
        throw passRegistry.create('invalid_parameter_value', { fields: [{ pointer: '/name', message: 'Too short.' }] });
      },
    };
    const withFields = await request(appWith(express, route, { formatters: [createJsonFormatter({ fieldErrors: true })] }))
      .get('/')
      .expect(400);
    expect(withFields.body.fields).toEqual([{ pointer: '/name', message: 'Too short.' }]);
    for (const formatter of [createJsonFormatter(), createJsonFormatter({ fieldErrors: false })]) {
      const spec = await request(appWith(express, route, { formatters: [formatter] }))
        .get('/')
        .expect(400);
      expect(Object.keys(spec.body)).toEqual(['action', 'status', 'code', 'message', 'details', 'helpUrl', 'trace']);
    }
  });
});

describe.each(expressVersions)("%s: an EnhancedError's omittedFields changed after construction", (_name, express) => {
  // A count that is not a non-negative integer makes the error invalid: it is read by its status alone.
  const withOmitted = (value: unknown) => () => {
    const error = passRegistry.create('invalid_parameter_value', { fields: [{ path: 'name', message: 'Required' }] });
    Object.defineProperty(error, 'omittedFields', { value });
    throw error;
  };

  it.each([[-1], [1.5], ['2']])('%p: the code of its status, and no count in the body', async (value) => {
    const app = appWith(express, { '/': withOmitted(value) }, { formatters: [createJsonFormatter({ fieldErrors: true })] });
    const res = await request(app).get('/').expect(400);
    expect(res.body.code).toBe('bad_request');
    expect(res.body).not.toHaveProperty('omittedFields');
  });

  it.each([[0], [2]])('%p: still its own error, the count sent as it is', async (value) => {
    const app = appWith(express, { '/': withOmitted(value) }, { formatters: [createJsonFormatter({ fieldErrors: true })] });
    const res = await request(app).get('/').expect(400);
    expect(res.body.code).toBe('invalid_parameter_value');
    expect(res.body.omittedFields).toBe(value);
  });
});

describe.each(expressVersions)('%s: a body-parser error with the built-in mappers off', (_name, express) => {
  it("never shows body-parser's message, which quotes the body", async () => {
    const app = appWith(express, { '/': (_req, res) => res.json({ ok: true }) }, { builtInMappers: false });
    const res = await request(app).post('/').set('Content-Type', 'application/json').send(`{"password": ${SECRET}}`).expect(400);
    expect(res.body.code).toBe('bad_request');
    expect(res.body).not.toHaveProperty('details');
    expect(res.text).not.toContain('hunter2');
  });
});

describe.each(expressVersions)("%s: an EnhancedError's headers that are not plain data", (_name, express) => {
  function served(headers: unknown) {
    const reported: { headers?: unknown; code: string; status: number }[] = [];
    const app = appWith(
      express,
      {
        '/': () => {
          const error = passRegistry.create('invalid_parameter_value');
          Object.defineProperty(error, 'headers', { value: headers });
          throw error;
        },
      },
      { onError: (error) => reported.push(error) },
    );
    return { app, reported };
  }

  it('a string instead of an object: its own error, without headers', async () => {
    const { app, reported } = served('X-Injected: yes');
    const res = await request(app).get('/').expect(400);
    expect(res.body.code).toBe('invalid_parameter_value');
    expect(reported).toHaveLength(1);
    expect(reported[0]?.headers).toBeUndefined();
  });

  it('an object with a getter that throws: all of its headers are dropped, not those read before it', async () => {
    const headers = {
      'X-Before': 'yes',
      get 'X-Broken'(): string {
        throw new Error('header read failed');
      },
    };
    const { app, reported } = served(headers);
    const res = await request(app).get('/').expect(400);
    expect(res.body.code).toBe('invalid_parameter_value');
    expect(res.headers['x-before']).toBeUndefined();
    expect(reported[0]?.headers).toBeUndefined();
  });

  it('an object with a getter: copied, with only its string and number values', async () => {
    const headers = {
      'X-Flag': true,
      'X-Count': 3,
      get 'X-Lazy'(): string {
        return 'lazy';
      },
    };
    const { app, reported } = served(headers);
    const res = await request(app).get('/').expect(400);
    expect(res.headers['x-lazy']).toBe('lazy');
    expect(res.headers['x-count']).toBe('3');
    expect(reported[0]?.headers).toEqual({ 'X-Count': 3, 'X-Lazy': 'lazy' });
  });
});

describe.each(expressVersions)("%s: an error's own headers that are neither strings nor finite numbers", (_name, express) => {
  it('are not sent', async () => {
    const headers = { 'X-Flag': true, 'X-Object': { a: 1 }, 'X-Infinite': Infinity, 'X-Kept': 7 } as unknown as Record<string, string>;
    const app = appWith(express, {
      '/': () => {
        throw passRegistry.create('bad_request', { headers });
      },
    });
    const res = await request(app).get('/').expect(400);
    expect(res.headers['x-kept']).toBe('7');
    expect(res.headers['x-flag']).toBeUndefined();
    expect(res.headers['x-object']).toBeUndefined();
    expect(res.headers['x-infinite']).toBeUndefined();
  });
});
