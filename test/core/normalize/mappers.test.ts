import type { Request, Response } from 'express';
import request from 'supertest';
import { z as z4 } from 'zod';
import * as zm from 'zod/mini';
import { header, param, query, validationResult } from 'express-validator';
import { celebrate, Joi, Segments } from 'celebrate';
import * as OpenApiValidator from 'express-openapi-validator';
import createHttpError from 'http-errors';
import { createRegistry, EnhancedError, type EnhancedErrorHandlerOptions, type ErrorContext, passRegistry } from '../../../src';
import { passRestV2Registry, vimondRegistry } from '../../../src/core/catalogs';
import {
  createJsonFormatter,
  createVimondFormatter,
  createXmlFormatter,
  problemJsonFormatter,
  problemXmlFormatter,
} from '../../../src/core/formats';
import { enhancedErrorHandlerWithItems as enhancedErrors } from '../../../src/items';
import { MAX_FIELD_ERRORS } from '../../../src/core/normalize/mappers';
import { createNormalizer } from '../../../src/core/normalize/normalize';
import { appWith, type ExpressFactory, expressVersions } from '../../support/apps';
import { parseXml, type XmlElement } from '../../support/xml';
import { libraries, mountValidationRoutes } from '../../support/validation-apps';

/** Sent as values and as key names; no response may contain it. */
const SENT = 'EVIL-9f3a7c';

function validationApp(express: ExpressFactory, options: EnhancedErrorHandlerOptions = {}) {
  const app = express();
  app.use(express.json());
  mountValidationRoutes(app);
  app.use(enhancedErrors({ log: false, ...options }).handler);
  return app;
}

const failingBody = { name: SENT, kind: SENT, count: SENT };

interface FieldShape {
  pointer?: string;
  path?: string;
  message: string;
  code?: string;
}

const withFieldLists: EnhancedErrorHandlerOptions = {
  formatters: [
    createJsonFormatter({ fieldErrors: true }),
    createXmlFormatter({ fieldErrors: true }),
    problemJsonFormatter,
    problemXmlFormatter,
  ],
};

function xmlChild(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}

describe.each(expressVersions)('built-in mappers on %s', (_name, express) => {
  const app = validationApp(express, withFieldLists);

  it.each(libraries)('%s answers 400 invalid_parameter_value with its fields, never the value sent', async (path) => {
    const res = await request(app).post(path).send(failingBody).expect(400);
    expect(res.body).toMatchObject({ action: 'none', status: 400, code: 'invalid_parameter_value' });
    const fields = res.body.fields as FieldShape[];
    const labels = fields.map((field) => field.pointer ?? field.path);
    expect(labels).toEqual(expect.arrayContaining(['/name', '/kind']));
    for (const field of fields) expect(typeof field.message).toBe('string');
    expect(res.body.details).toMatch(/^Invalid fields: (?=.*name)(?=.*kind)/);
    expect(JSON.stringify(res.body)).not.toContain(SENT);
  });

  it('keeps the message of a field when it does not quote the value', async () => {
    const res = await request(app).post('/express-validator').send(failingBody).expect(400);
    expect(res.body.fields).toContainEqual({ pointer: '/name', message: 'Name is too short' });
  });

  it('names fields outside the body by location', async () => {
    const res = await request(app)
      .post('/celebrate?limit=many')
      .send({ name: 'x'.repeat(20), kind: 'a' })
      .expect(400);
    expect(res.body.fields).toEqual([expect.objectContaining({ path: 'query.limit', code: 'number.base' })]);
  });

  it('maps a Boom 401 with its WWW-Authenticate header and message', async () => {
    const res = await request(app).get('/boom/unauthorized').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tv", error="Token expired"');
    expect(res.body).toMatchObject({ status: 401, details: 'Token expired' });
  });

  it('maps Boom.notFound() to a 404 and a Boom 5xx to a redacted internal_error', async () => {
    const notFound = await request(app).get('/boom/not-found').expect(404);
    expect(notFound.body.status).toBe(404);
    expect(notFound.body.details).toBeUndefined();
    const server = await request(app).get('/boom/implementation').expect(500);
    expect(server.body).toMatchObject({ code: 'internal_error', status: 500 });
    expect(server.text).not.toContain('hunter2');
  });

  it('writes RFC 9457 errors in problem+json and problem+xml', async () => {
    const json = await request(app).post('/zod4').set('Accept', 'application/problem+json').send(failingBody).expect(400);
    expect(json.body.errors).toEqual(
      expect.arrayContaining([
        { detail: expect.any(String), pointer: '#/name', code: 'too_small' },
        { detail: expect.any(String), pointer: '#/count', code: 'invalid_type' },
      ]),
    );
    const xml = await request(app).post('/zod4').set('Accept', 'application/problem+xml').send(failingBody).expect(400);
    const errors = xmlChild(parseXml(xml.text).root, 'errors');
    const pointers = errors?.children.map((item) => {
      expect(item.name).toBe('i');
      return xmlChild(item, 'pointer')?.text;
    });
    expect(pointers).toEqual(expect.arrayContaining(['#/name', '#/kind', '#/count']));
  });

  it('writes the field list in the Pass XML envelope when asked for', async () => {
    const res = await request(app).post('/celebrate').set('Accept', 'application/xml').send(failingBody).expect(400);
    const root = parseXml(res.text).root;
    expect(root.children.map((child) => child.name)).toEqual([
      'action',
      'status',
      'code',
      'message',
      'details',
      'helpUrl',
      'trace',
      'fields',
    ]);
    const first = xmlChild(root, 'fields')?.children[0];
    expect(first?.name).toBe('field');
    expect(first && xmlChild(first, 'pointer')?.text).toBe('/name');
  });

  it('keeps the spec envelope without a field list by default', async () => {
    const plain = validationApp(express);
    const json = await request(plain).post('/zod3').send(failingBody).expect(400);
    expect(Object.keys(json.body)).toEqual(['action', 'status', 'code', 'message', 'details', 'helpUrl', 'trace']);
    const xml = await request(plain).post('/zod3').set('Accept', 'application/xml').send(failingBody).expect(400);
    expect(parseXml(xml.text).root.children.map((child) => child.name)).toEqual([
      'action',
      'status',
      'code',
      'message',
      'details',
      'helpUrl',
      'trace',
    ]);
  });

  it('maps the $ZodError of zod/mini', async () => {
    const mini = appWith(express, { '/mini': (req) => zm.parse(zm.object({ user: zm.string() }), req.body) });
    const res = await request(mini).post('/mini').send({ user: 1 }).expect(400);
    expect(res.body).toMatchObject({ code: 'invalid_parameter_value', details: 'Invalid field: user.' });
  });

  it('keeps at most 100 field errors and says how many were cut', async () => {
    const many = appWith(
      express,
      {
        '/many': (req) => {
          z4.array(z4.string()).parse(req.body);
        },
      },
      withFieldLists,
    );
    const res = await request(many)
      .post('/many')
      .send(Array.from({ length: 150 }, (_, index) => index))
      .expect(400);
    expect(res.body.fields).toHaveLength(MAX_FIELD_ERRORS);
    expect(res.body.omittedFields).toBe(50);
    expect(res.body.details).toBe('Invalid fields: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 140 more.');
    const problem = await request(many)
      .post('/many')
      .set('Accept', 'application/problem+json')
      .send(Array.from({ length: 150 }, (_, index) => index));
    expect(problem.body.errors).toHaveLength(MAX_FIELD_ERRORS);
    expect(problem.body.omittedErrors).toBe(50);
  });

  it('cuts long field messages and paths to the limits', async () => {
    const long = appWith(
      express,
      {
        '/long': () => {
          throw passRegistry.create('invalid_parameter_value', { fields: [{ pointer: `/${'p'.repeat(500)}`, message: 'm'.repeat(500) }] });
        },
      },
      { ...withFieldLists, limits: { fieldMessage: 40, fieldPath: 30 } },
    );
    const res = await request(long).get('/long').expect(400);
    expect(res.body.fields[0].message).toHaveLength(40);
    expect(res.body.fields[0].pointer).toHaveLength(30);
    // No details of its own: the summary names the field.
    expect(res.body.details).toMatch(/^Invalid field: p+…?/);
  });

  it('sends no details for an empty list of field errors, rather than a summary of nothing', async () => {
    const empty = appWith(
      express,
      {
        '/empty': () => {
          throw passRegistry.create('invalid_parameter_value', { fields: [] });
        },
      },
      withFieldLists,
    );
    const res = await request(empty).get('/empty').expect(400);
    expect(res.body.code).toBe('invalid_parameter_value');
    expect(res.body).not.toHaveProperty('details');
  });

  it('sends one Vimond errors[] entry per field', async () => {
    const vimond = validationApp(express, { registry: vimondRegistry, formatters: [createVimondFormatter()] });
    const res = await request(vimond).post('/zod3').send({ name: 'short', kind: 'a' }).expect(400);
    expect(res.body).toEqual({ errors: [{ title: 'INVALID_REQUEST_PARAM', code: '1003', detail: expect.stringMatching(/^name: /) }] });
  });

  it('uses a REST API v2 per-parameter code where a field maps to one', async () => {
    const v2 = appWith(
      express,
      {
        '/v2': (req) => {
          z4.object({ redirectUrl: z4.url(), mvpd: z4.string().min(3) }).parse(req.body);
        },
      },
      { registry: passRestV2Registry },
    );
    const res = await request(v2).post('/v2').send({ redirectUrl: 'https://ok.example', mvpd: 'x' }).expect(400);
    expect(res.body).toMatchObject({ code: 'invalid_parameter_mvpd', details: 'Invalid field: mvpd.' });
    const redirect = await request(v2).post('/v2').send({ redirectUrl: SENT, mvpd: 'x' }).expect(400);
    expect(redirect.body.code).toBe('invalid_parameter_redirect_url');
  });

  it('falls back to what normalize answers for a 400 when the registry has no validation code', async () => {
    const v2 = appWith(
      express,
      { '/other': (req) => z4.object({ other: z4.string() }).parse(req.body) },
      { registry: passRestV2Registry, ...withFieldLists },
    );
    const expected = createNormalizer({ registry: passRestV2Registry })(createHttpError(400));
    const res = await request(v2).post('/other').send({}).expect(400);
    expect(res.body).toMatchObject({
      code: expected.code,
      status: 400,
      details: 'Invalid field: other.',
      fields: [{ pointer: '/other', code: 'invalid_type' }],
    });
  });

  it('carries field errors on item-level errors', async () => {
    const errors = enhancedErrors({ log: false, ...withFieldLists });
    const app2 = express();
    app2.use(express.json());
    app2.post('/items', (req, res) => {
      const items = (req.body as unknown[]).map((item, index) => {
        const parsed = z4.object({ id: z4.string() }).safeParse(item);
        return parsed.success ? { index } : { index, error: parsed.error };
      });
      errors.sendItems(req, res, { collection: 'resources', items });
    });
    app2.use(errors.handler);
    const res = await request(app2)
      .post('/items')
      .send([{ id: 'a' }, { id: 7 }])
      .expect(200);
    expect(res.body.resources[1].error).toMatchObject({
      code: 'invalid_parameter_value',
      fields: [{ pointer: '/id', code: 'invalid_type' }],
    });
    const xml = await request(app2)
      .post('/items')
      .set('Accept', 'application/xml')
      .send([{ id: 'a' }, { id: 7 }])
      .expect(200);
    const error = xmlChild(parseXml(xml.text).root.children[1] as XmlElement, 'error');
    expect(error && xmlChild(error, 'fields')?.children).toHaveLength(1);
  });
});

/** One route per library whose query, path parameter and header all fail: `?limit=many`, `/x/abc`, `X-Key: short`. */
function locationsApp(express: ExpressFactory) {
  const app = express();
  app.use(
    OpenApiValidator.middleware({
      apiSpec: locationsSpec as never,
      validateRequests: { allErrors: true },
      ignorePaths: /^\/(?!oas)/,
    }),
  );
  app.get('/oas/:id', (_req, res) => {
    res.sendStatus(204);
  });
  app.get(
    '/express-validator/:id',
    query('limit').isInt(),
    param('id').isInt(),
    header('x-key').isLength({ min: 8 }),
    (req: Request, res: Response) => {
      validationResult(req).throw();
      res.sendStatus(204);
    },
  );
  app.get(
    '/celebrate/:id',
    celebrate(
      {
        [Segments.QUERY]: Joi.object({ limit: Joi.number() }),
        [Segments.PARAMS]: Joi.object({ id: Joi.number() }),
        [Segments.HEADERS]: Joi.object({ 'x-key': Joi.string().min(8) }).unknown(),
      },
      { abortEarly: false },
    ),
    (_req: Request, res: Response) => {
      res.sendStatus(204);
    },
  );
  // zod knows nothing of where a value came from: its pointer is into the value parsed.
  app.get('/zod/:id', (req) => z4.object({ limit: z4.coerce.number().int() }).parse(req.query));
  app.use(enhancedErrors({ log: false, ...withFieldLists }).handler);
  return app;
}

const locationsSpec = {
  openapi: '3.0.3',
  info: { title: 'field locations', version: '1.0.0' },
  paths: {
    '/oas/{id}': {
      get: {
        parameters: [
          { name: 'limit', in: 'query', required: true, schema: { type: 'integer' } },
          { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
          { name: 'x-key', in: 'header', required: true, schema: { type: 'string', minLength: 8 } },
        ],
        responses: { '204': { description: 'ok' } },
      },
    },
  },
} as const;

describe.each(expressVersions)('fields outside the body are named by location, dotted, on %s', (_name, express) => {
  const app = locationsApp(express);

  // One location fails at a time: celebrate stops at the first segment that fails.
  const failures = [
    ['query.limit', '/12?limit=many', 'long-enough-key'],
    ['params.id', '/abc?limit=3', 'long-enough-key'],
    ['headers.x-key', '/12?limit=3', 'short'],
  ] as const;
  const cases = ['/express-validator', '/celebrate', '/oas'].flatMap((route) => failures.map((failure) => [route, ...failure] as const));

  it.each(cases)('%s names %s', async (route, place, url, key) => {
    const res = await request(app).get(`${route}${url}`).set('X-Key', key).expect(400);
    expect((res.body.fields as FieldShape[]).map((field) => field.path ?? `pointer ${field.pointer}`)).toEqual([place]);
    expect(res.body.details).toBe(`Invalid field: ${place}.`);
  });

  it('zod points into the value it parsed', async () => {
    const res = await request(app).get('/zod/abc?limit=many').expect(400);
    expect(res.body.fields).toEqual([expect.objectContaining({ pointer: '/limit' })]);
  });
});

describe.each(expressVersions)('a value sent in a request is never echoed, on %s', (_name, express) => {
  const formats = [
    ['Pass JSON with fields', 'application/json'],
    ['Pass XML with fields', 'application/xml'],
    ['problem+json', 'application/problem+json'],
    ['problem+xml', 'application/problem+xml'],
  ] as const;
  const app = validationApp(express, withFieldLists);
  const vimond = validationApp(express, { registry: vimondRegistry, formatters: [createVimondFormatter()] });
  // The value as a field value, as an unknown key, and in the query string.
  const sent = { name: SENT, kind: SENT, count: SENT, [SENT]: SENT, nested: { [SENT]: [SENT] } };

  it.each(libraries.flatMap((path) => formats.map(([format, accept]) => [path, format, accept] as const)))(
    '%s in %s',
    async (path, _format, accept) => {
      // With and without the query: a validator may stop at the first failing location.
      for (const url of [`${path}?limit=${SENT}`, `${path}?${SENT}=${SENT}`, path]) {
        const res = await request(app).post(url).set('Accept', accept).send(sent);
        expect(res.status).toBe(400);
        expect(res.text).not.toContain(SENT);
        expect(JSON.stringify(res.headers)).not.toContain(SENT);
      }
    },
  );

  it.each(libraries)('%s in the Vimond format', async (path) => {
    for (const url of [`${path}?limit=${SENT}`, `${path}?${SENT}=${SENT}`, path]) {
      const res = await request(vimond).post(url).send(sent);
      expect(res.status).toBe(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
      expect(res.text).not.toContain(SENT);
      expect(JSON.stringify(res.headers)).not.toContain(SENT);
    }
  });

  it('in the 405 and 415 answers of express-openapi-validator', async () => {
    const put = await request(app).put(`/oas?${SENT}=1`).send({});
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('POST');
    const media = await request(app).post('/oas').set('Content-Type', `text/x-${SENT}`).send('x');
    expect(media.status).toBe(415);
    for (const res of [put, media]) expect(res.text.toLowerCase()).not.toContain(SENT.toLowerCase());
  });
});

describe.each(expressVersions)('the mappers and builtInMappers options on %s', (_name, express) => {
  const zodRoute = { '/zod': (req: Request) => z4.object({ name: z4.string() }).parse(req.body) };

  it('tries the service mappers first, in order', async () => {
    const seen: unknown[] = [];
    const app = appWith(express, zodRoute, {
      mappers: [
        (thrown) => {
          seen.push(thrown);
          return undefined;
        },
        (thrown) =>
          thrown instanceof Error && thrown.name === 'ZodError' ? passRegistry.create('bad_request', { details: 'Mine.' }) : undefined,
      ],
    });
    const res = await request(app).post('/zod').send({}).expect(400);
    expect(res.body).toMatchObject({ code: 'bad_request', details: 'Mine.' });
    expect(seen).toHaveLength(1);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error(`mapper broke on ${SENT}`);
      },
    ],
    ['returns a non-error', () => ({ code: SENT }) as unknown as EnhancedError],
  ])('answers a redacted internal_error when a mapper %s, and reports why', async (_what, mapper) => {
    const reported: ErrorContext[] = [];
    const errorsSeen: EnhancedError[] = [];
    const app = appWith(express, zodRoute, {
      mappers: [mapper],
      onError: (error, context) => {
        errorsSeen.push(error);
        reported.push(context);
      },
    });
    const res = await request(app).post('/zod').send({}).expect(500);
    expect(res.body).toMatchObject({ code: 'internal_error', status: 500 });
    expect(res.text).not.toContain(SENT);
    expect((errorsSeen[0]?.cause as Error).message).toMatch(/mapper #0 \(in the order tried\)/);
  });

  it('leaves a ZodError to the 500 path when the built-in mappers are off', async () => {
    const app = appWith(express, zodRoute, { builtInMappers: false });
    const res = await request(app).post('/zod').send({}).expect(500);
    expect(res.body.code).toBe('internal_error');
  });

  it('still never shows body-parser messages with the built-in mappers off', async () => {
    const app = appWith(express, {}, { builtInMappers: false });
    const res = await request(app).post('/x').set('Content-Type', 'application/json').send(`{"${SENT}`).expect(400);
    expect(res.text).not.toContain(SENT);
    const on = await request(appWith(express, {})).post('/x').set('Content-Type', 'application/json').send(`{"${SENT}`).expect(400);
    expect(on.body).toMatchObject({ code: 'bad_request', details: 'The request body could not be parsed.' });
  });

  it('shows no inner message of an error that only looks like a validator error (a 400 with an errors list)', async () => {
    // Found by the fuzz (FUZZ_SEED=819115991): its inner messages went out as field errors.
    const secret = 'db password=hunter2';
    const app = appWith(
      express,
      {
        '/aggregate': () => {
          throw Object.assign(new TypeError('failed'), { status: 400, errors: [new Error(secret), { message: secret }] });
        },
      },
      { formatters: [problemJsonFormatter, createVimondFormatter()] },
    );
    for (const accept of ['application/problem+json', 'application/json']) {
      const res = await request(app).get('/aggregate').set('Accept', accept).expect(400);
      expect(res.text).not.toContain('hunter2');
    }
  });

  it("reads a body-parser error's status as the built-in normalization does (status, else statusCode)", async () => {
    // Found by the fuzz (FUZZ_SEED=-167864841): a NaN status made the mapper build an http-errors 500.
    const app = appWith(express, {
      '/nan': () => {
        throw { type: 'charset.unsupported', status: Number.NaN, statusCode: 415 };
      },
      '/server': () => {
        throw { type: 'charset.unsupported', status: 503 };
      },
    });
    const nan = await request(app).get('/nan').expect(415);
    expect(nan.body).toMatchObject({ status: 415, details: 'The request body charset is not supported.' });
    const server = await request(app).get('/server').expect(503);
    expect(server.body.details).toBeUndefined();
  });
});

describe('mapper options are checked at start-up', () => {
  it.each([
    [{ mappers: 'x' }, /mappers option must be an array/],
    [{ mappers: [42] }, /mappers\[0\] must be a function/],
    [{ builtInMappers: true }, /builtInMappers option must be an array/],
    [{ builtInMappers: [() => 'x'] }, /builtInMappers\[0\] must return a function/],
  ])('%p', (options, message) => {
    expect(() => enhancedErrors(options as unknown as EnhancedErrorHandlerOptions)).toThrow(message);
  });

  it('refuses a field error without a message or a place', () => {
    expect(() => passRegistry.create('invalid_parameter_value', { fields: [{ message: 'x' }] })).toThrow(/needs a pointer or a path/);
    expect(() => passRegistry.create('invalid_parameter_value', { fields: [{ pointer: '/a', message: '' }] })).toThrow(
      /message must be a non-empty string/,
    );
  });

  it('keeps only the documented members of a field error', () => {
    const error = createRegistry({ invalid: { status: 400, action: 'none', message: 'Invalid.' } }).create('invalid', {
      fields: [{ path: 'query.q', message: 'Bad', value: SENT } as never],
    });
    expect(error.fields).toEqual([{ path: 'query.q', message: 'Bad' }]);
  });
});
