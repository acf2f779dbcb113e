import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import fc from 'fast-check';
import * as v from 'valibot';
import { type } from 'arktype';
import { z } from 'zod';
import { Hono } from 'hono';
import { sValidator } from '@hono/standard-validator';
import type { EnhancedErrorHandlerOptions } from '../../../src';
import { createJsonFormatter, problemJsonFormatter } from '../../../src/core/formats';
import { MAX_FIELD_ERRORS, standardSchemaFailureOf, standardSchemaMapper, zodMapper } from '../../../src/core/normalize/mappers';
import { appWith, express5Only } from '../../support/apps';
import { assertProperty, fuzzRuns, fuzzTimeout } from '../../support/arbitraries';
import { startServer, type TestServer } from '../../support/http-client';

/** Sent as values and as key names; no response may contain it. */
const SENT = 'EVIL-9f3a7c';

const withFields: EnhancedErrorHandlerOptions = { formatters: [createJsonFormatter({ fieldErrors: true }), problemJsonFormatter] };

const Order = v.object({
  items: v.array(v.object({ 'a/b~c': v.number() })),
  tags: v.set(v.string()),
  customer: v.strictObject({ name: v.pipe(v.string(), v.minLength(3)) }),
});

const ArkOrder = type({ items: type({ 'a/b~c': 'number' }).array(), customer: { '+': 'reject', name: 'string >= 3' } });

const LimitQuery = v.object({ limit: v.pipe(v.string(), v.regex(/^\d+$/, 'Not a number.')) });

/** What @hono/standard-validator passes its hook for `query` (the library run in Hono, the result handed over). */
async function honoHookFailure(search: string): Promise<unknown> {
  let failure: unknown;
  const hono = new Hono().get(
    '/',
    sValidator('query', LimitQuery, (result) => {
      if (!result.success) failure = result;
    }),
    (c) => c.body(null, 204),
  );
  await hono.request(`/${search}`);
  return failure;
}

const routes = {
  '/valibot': (req: Request) => v.parse(Order, req.body, { abortEarly: false }),
  '/arktype': (req: Request) => ArkOrder.assert(req.body),
  '/hono-query': (req: Request, res: Response, next: NextFunction) => {
    honoHookFailure(req.url.slice(req.url.indexOf('?'))).then((failure) => (failure ? next(failure) : res.sendStatus(204)), next);
  },
  '/zod': (req: Request) => z.object({ items: z.array(z.object({ 'a/b~c': z.number() })) }).parse(req.body),
  '/many': (req: Request) => v.parse(v.array(v.string()), req.body, { abortEarly: false }),
  '/thrown': (req: Request) => {
    throw shapes[Number(req.query.shape)]?.[1];
  },
};

/** Thrown as they are: names for the test titles, and what each must answer. */
const shapes: [name: string, thrown: unknown, status: number, fields?: unknown[]][] = [
  [
    'a path with a symbol: named up to it',
    { issues: [{ message: 'Bad.', path: ['a', Symbol('inner'), 'b'] }] },
    400,
    [{ pointer: '/a', message: 'Bad.' }],
  ],
  [
    'a segment without a usable key: named up to it',
    {
      issues: [
        { message: 'Bad.', path: [{ key: 'a' }, {}, 'b'] },
        { message: 'Root.', path: [{ key: { nested: 1 } }] },
      ],
    },
    400,
    [
      { pointer: '/a', message: 'Bad.' },
      { pointer: '', message: 'Root.' },
    ],
  ],
  ['no path: the value parsed', { issues: [{ message: 'Bad.' }] }, 400, [{ pointer: '', message: 'Bad.' }]],
  ['a hook result without its target: a pointer', { success: false, error: [{ message: 'Bad.', path: ['x'] }] }, 400],
  ['an empty issues list', { issues: [] }, 500],
  ['issues that are not a list', { issues: 'Bad.' }, 500],
  ['an issue that is not an object', { issues: [{ message: 'Bad.' }, null] }, 500],
  ['an issue without a string message', { issues: [{ message: 42, path: ['a'] }] }, 500],
  ['a path that is not a list', { issues: [{ message: 'Bad.', path: 'a.b' }] }, 500],
  ['a path segment that is neither a key nor an object', { issues: [{ message: 'Bad.', path: ['a', true] }] }, 500],
  ['a successful hook result', { success: true, error: [{ message: 'Bad.' }] }, 500],
  ['a value with a status of its own: that status', { status: 409, expose: true, issues: [{ message: 'Bad.' }] }, 409],
];

describe.each(express5Only)('Standard Schema failures on %s', (_name, express) => {
  const app = appWith(express, routes, withFields);

  it('valibot: a pointer per issue, escaped, its code; a Set member names the Set; a refused key names its parent', async () => {
    const res = await request(app)
      .post('/valibot')
      .send({ items: [{ 'a/b~c': SENT }], tags: [SENT], customer: { name: 'QQ', [SENT]: SENT } })
      .expect(400);
    expect(res.body).toMatchObject({ status: 400, code: 'invalid_parameter_value' });
    expect(res.body.fields).toEqual([
      { pointer: '/items/0/a~1b~0c', message: 'Invalid value.', code: 'number' },
      { pointer: '/tags', message: expect.stringMatching(/^Invalid type: Expected Set/), code: 'set' },
      { pointer: '/customer/name', message: 'Invalid length: Expected >=3 but received 2', code: 'min_length' },
      { pointer: '/customer', message: 'Unknown field.', code: 'strict_object' },
    ]);
    expect(res.text).not.toContain(SENT);
  });

  it('arktype: what assert() throws, the same way; a key it must remove names its parent', async () => {
    const res = await request(app)
      .post('/arktype')
      .send({ items: [{ 'a/b~c': SENT }], customer: { name: 'QQ', [SENT]: SENT } })
      .expect(400);
    expect(res.body.fields).toEqual([
      { pointer: '/customer/name', message: 'customer.name must be at least length 3 (was 2)', code: 'minLength' },
      { pointer: '/customer', message: 'Unknown field.', code: 'predicate' },
      { pointer: '/items/0/a~1b~0c', message: 'items[0]["a/b~c"] must be a number (was a string)', code: 'domain' },
    ]);
    expect(res.text).not.toContain(SENT);
  });

  it("@hono/standard-validator's hook result: its target names the location", async () => {
    const res = await request(app).get(`/hono-query?limit=${SENT}`).expect(400);
    expect(res.body).toMatchObject({ code: 'invalid_parameter_value', details: 'Invalid field: query.limit.' });
    expect(res.body.fields).toEqual([{ path: 'query.limit', message: 'Not a number.', code: 'regex' }]);
    await request(app).get('/hono-query?limit=12').expect(204);
  });

  it('keeps at most 100 field errors and counts the rest', async () => {
    const res = await request(app)
      .post('/many')
      .send(Array.from({ length: 150 }, (_, index) => index))
      .expect(400);
    expect(res.body.fields).toHaveLength(MAX_FIELD_ERRORS);
    expect(res.body.omittedFields).toBe(50);
  });

  it('leaves zod to its own mapper: the same answer as with the zod mapper alone', async () => {
    const body = { items: [{ 'a/b~c': 'x' }] };
    const defaults = await request(app).post('/zod').send(body).expect(400);
    const zodOnly = await request(appWith(express, routes, { ...withFields, builtInMappers: [zodMapper] }))
      .post('/zod')
      .send(body)
      .expect(400);
    expect(defaults.body).toEqual({ ...zodOnly.body, trace: defaults.body.trace });
    expect(defaults.body.fields).toEqual([{ pointer: '/items/0/a~1b~0c', message: expect.any(String), code: 'invalid_type' }]);
  });

  it('maps a ZodError too when only the Standard Schema mapper is on (zod is a Standard Schema library)', async () => {
    const standardOnly = appWith(express, routes, { ...withFields, builtInMappers: [standardSchemaMapper] });
    const res = await request(standardOnly)
      .post('/zod')
      .send({ items: [{ 'a/b~c': 'x' }] })
      .expect(400);
    expect(res.body.fields).toEqual([{ pointer: '/items/0/a~1b~0c', message: expect.any(String), code: 'invalid_type' }]);
  });

  it.each(shapes.map(([name, , status, fields], index) => [name, index, status, fields] as const))(
    '%s',
    async (_title, index, status, fields) => {
      const res = await request(app).get(`/thrown?shape=${index}`).expect(status);
      if (fields !== undefined) expect(res.body.fields).toEqual(fields);
      if (status >= 500) expect(res.body.code).toBe('internal_error');
    },
  );
});

describe('standardSchemaFailureOf', () => {
  it('reads valibot, arktype and ~standard failures, and nothing else', async () => {
    const schema = v.object({ name: v.string() });
    const result = await schema['~standard'].validate({ name: 1 });
    expect(standardSchemaFailureOf(result)?.issues).toHaveLength(1);
    expect(standardSchemaFailureOf(v.safeParse(schema, {}).issues)).toBeUndefined();
    const arkErrors = type({ name: 'string' })({});
    expect(standardSchemaFailureOf(arkErrors)?.issues).toHaveLength(1);
    for (const junk of [undefined, null, 'issues', 42, [], { issues: [{}] }, new Error('issues')])
      expect(standardSchemaFailureOf(junk)).toBeUndefined();
  });
});

/** Text planted in generated values: a 5xx must never show it. */
const MARK = 'PLANTED';

const marked = fc.string({ maxLength: 6 }).map((text) => `${MARK}${text}`);
const key = fc.oneof(
  marked,
  fc.integer(),
  marked.map((text) => Symbol(text)),
);
const segment = fc.oneof(key, fc.record({ key: fc.oneof(key, fc.constant(null), fc.object()) }, { requiredKeys: [] }), fc.anything());
const wellFormedIssue = fc.record(
  { message: marked, path: fc.array(fc.oneof(key, fc.record({ key })), { maxLength: 4 }) },
  { requiredKeys: ['message'] },
);
const issue = fc.oneof(
  { weight: 3, arbitrary: wellFormedIssue },
  { weight: 1, arbitrary: fc.record({ message: fc.anything(), path: fc.oneof(fc.array(segment, { maxLength: 4 }), fc.anything()) }) },
  { weight: 1, arbitrary: fc.anything() },
);
const issuesMember = fc.oneof({ weight: 3, arbitrary: fc.array(issue, { maxLength: 4 }) }, fc.anything(), marked);
const junk = fc.oneof(
  issuesMember.map((issues) => ({ issues })),
  issuesMember.map((issues) => Object.assign(new Error(`${MARK} message`), { issues })),
  fc
    .tuple(issuesMember, fc.constantFrom('query', 'param', 'json', MARK, undefined))
    .map(([error, target]) => ({ success: false, error, target })),
);

describe.each(express5Only)('junk with an issues member on %s', (_name, express) => {
  const RUNS = fuzzRuns(300);
  const thrown: unknown[] = [];
  const statuses = new Set<number>();
  let server: TestServer;
  beforeAll(async () => {
    const app = appWith(
      express,
      {
        '/junk/:id': (req: Request) => {
          throw thrown[Number(req.params.id)];
        },
      },
      withFields,
    );
    server = await startServer(app);
  });
  afterAll(() => server.close());

  it(
    'never breaks the handler and never shows its text in a 5xx',
    async () => {
      await assertProperty(
        fc.asyncProperty(junk, fc.constantFrom('application/json', 'application/problem+json'), async (value, accept) => {
          thrown.push(value);
          const res = await server.send({ path: `/junk/${thrown.length - 1}`, headers: { accept } });
          const text = res.body.toString('utf8');
          expect([400, 500]).toContain(res.status);
          statuses.add(res.status);
          const body = JSON.parse(text) as { code?: unknown; status?: unknown };
          expect(body.status).toBe(res.status);
          if (res.status >= 500) expect(text).not.toContain(MARK);
        }),
        { numRuns: RUNS },
      );
      // Both ways were taken: junk that fits the shape is a validation failure.
      expect([...statuses].sort()).toEqual([400, 500]);
    },
    fuzzTimeout(RUNS, 50),
  );
});
