import type { Server } from 'node:http';
import createHttpError from 'http-errors';
import request from 'supertest';
import { createRegistry, type EnhancedError, genericErrorCodes, passRegistry } from '../../../src';
import {
  genericFallbacks,
  type VimondCatalog,
  vimondCatalog,
  vimondDefinitions,
  vimondRegistry,
  vimondStatusCodes,
} from '../../../src/core/catalogs';
import { createVimondFormatter, jsonFormatter, vimondFormatter } from '../../../src/core/formats';
import { appWith, expressVersions } from '../../support/apps';
import { vimondSeedRows } from '../../support/vimond-seed';
import { docsVimondTable } from '../../support/docs-tables';

const seedRows = vimondSeedRows();
const keyOf = (row: { code: string; title: string }) => `${row.title.toLowerCase()}_${row.code}`;
/** The catalog looked up by any string, as a client's key would be. */
const catalogRows: VimondCatalog = vimondCatalog;

describe('the Vimond seed and catalog', () => {
  it('has 63 rows in the service groups 0 to 10xxx', () => {
    expect(seedRows).toHaveLength(63);
    const groups = [...new Set(seedRows.map((row) => Math.floor(Number(row.code) / 1000)))];
    expect(groups).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 10]);
  });

  it('splits the rows whose cells run together with care', () => {
    const byCode = (code: string) => seedRows.filter((row) => row.code === code);
    expect(byCode('1000')).toEqual([{ code: '1000', title: 'INVALID_AUTHENTICATION', description: 'Invalid authentication token' }]);
    expect(byCode('2006')[0]?.description).toBe('EPG is not enabled for the requested tenant');
    expect(byCode('4005')[0]).toEqual({
      code: '4005',
      title: 'SUBPROFILE_ALREADY_EXISTS',
      description: 'A subprofile with the given ID already exists',
    });
    expect(byCode('3003').map((row) => row.title)).toEqual(['MISSING_CONTENT_PACKAGE', 'MISSING_ENTITLEMENT']);
    expect(seedRows.filter((row) => row.title === 'ASSET_NOT_FOUND').map((row) => row.code)).toEqual(['2000', '3000']);
    expect(seedRows.filter((row) => row.title === 'FAILED_TO_FETCH_LOG_DATA_CONFIGURATION').map((row) => row.code)).toEqual([
      '3009',
      '7003',
    ]);
    expect(byCode('10007')[0]?.title).toBe('INVAILD_DEVICE');
    expect(byCode('3008')[0]?.title).toBe('UNSUFFICIENT_QUALITY_ENTITLEMENT');
  });

  it('holds exactly the seed rows, in order, keyed <title>_<code>', () => {
    expect(Object.keys(vimondCatalog)).toEqual(seedRows.map(keyOf));
    // The library's two generic codes follow the seed rows, marked as additions.
    expect(vimondRegistry.codes).toEqual([...seedRows.map(keyOf), 'client_error', 'server_error']);
    expect(vimondRegistry.size).toBe(65);
    expect(vimondRegistry.get('client_error').origin).toBe('library');
    expect(vimondRegistry.get('unknown_0').origin).toBeUndefined();
  });

  it.each(seedRows.map((row) => [keyOf(row), row] as const))('%s has the seed code, title and description', (key, row) => {
    expect(catalogRows[key]).toMatchObject({ vimondCode: row.code, title: row.title, message: row.description });
    expect(vimondRegistry.get(key)?.message).toBe(row.description);
  });

  it('lists every code with its status and action in the table of docs/formats.md', () => {
    const table = docsVimondTable();
    expect(table.map((row) => row.key)).toEqual(seedRows.map(keyOf));
    for (const row of table) {
      const entry = vimondRegistry.get(row.key);
      expect({ key: row.key, code: row.code, title: row.title, status: row.status, action: row.action }).toEqual({
        key: row.key,
        code: catalogRows[row.key]?.vimondCode,
        title: catalogRows[row.key]?.title,
        status: entry?.status,
        action: entry?.action,
      });
    }
  });

  it('keeps registry keys typed: each key with its own statuses', () => {
    expect(vimondRegistry.create('asset_not_found_3000', { status: 404 }).code).toBe('asset_not_found_3000');
    // @ts-expect-error a title alone is not a key: ASSET_NOT_FOUND is two codes
    expect(() => vimondRegistry.create('asset_not_found')).toThrow(TypeError);
    // @ts-expect-error 500 is not a status of a not-found code
    expect(() => vimondRegistry.create('asset_not_found_2000', { status: 500 })).toThrow(TypeError);
  });

  it('refuses a catalog row the Vimond format cannot send, at start-up', () => {
    expect(() => createVimondFormatter({ broken_1: { vimondCode: 'x1', title: 'BROKEN' } })).toThrow(
      /vimondCode must be a string of digits/,
    );
    expect(() => createVimondFormatter({ broken_1: { vimondCode: '1', title: 'Broken' } })).toThrow(/title must be UPPER_SNAKE_CASE/);
  });
});

const vimondOptions = { registry: vimondRegistry, statusCodes: vimondStatusCodes, formatters: [vimondFormatter] };

describe.each(expressVersions)('a Vimond service on %s', (_name, express) => {
  let server: Server;
  const reported: EnhancedError[] = [];

  beforeAll((done) => {
    const app = appWith(
      express,
      {
        '/codes/:key': (req) => {
          throw vimondRegistry.create(req.params.key as (typeof vimondRegistry.codes)[number]);
        },
        '/several': () => {
          throw new AggregateError(
            [vimondRegistry.create('invalid_query_param_1002'), vimondRegistry.create('invalid_sort_param_2004')],
            'two invalid parameters',
          );
        },
        '/several-with-server-error': () => {
          throw new AggregateError([vimondRegistry.create('invalid_tenant_1007'), vimondRegistry.create('service_unavailable_1004')]);
        },
        '/many': () => {
          throw new AggregateError(Array.from({ length: 150 }, () => vimondRegistry.create('invalid_query_param_1002')));
        },
        '/group-with-plain-error': () => {
          throw new AggregateError([vimondRegistry.create('invalid_tenant_1007'), new Error('db password is hunter2')]);
        },
        '/plain-error': () => {
          throw new Error('db password is hunter2');
        },
        '/empty-group': () => {
          throw new AggregateError([], 'nothing in it');
        },
        '/group-not-a-list': () => {
          const group = new AggregateError([]);
          // Not an array, though it can be sliced into EnhancedErrors: not a group of them.
          Object.defineProperty(group, 'errors', { value: { length: 1, slice: () => [vimondRegistry.create('invalid_tenant_1007')] } });
          throw group;
        },
        '/http-404': () => {
          throw createHttpError(404, 'no such playlist');
        },
        '/http-405': () => {
          throw createHttpError(405);
        },
      },
      { ...vimondOptions, onError: (error) => reported.push(error) },
    );
    server = app.listen(0, done);
  });
  afterAll((done) => {
    server.close(done);
  });

  it.each(seedRows.map((row) => [keyOf(row), row] as const))('answers %s with the seed title, detail and code', async (key, row) => {
    const res = await request(server).get(`/codes/${key}`).set('Accept', 'application/json');
    expect(res.status).toBe(vimondRegistry.get(key)?.status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.text)).toEqual({ errors: [{ title: row.title, detail: row.description, code: row.code }] });
  });

  it('answers several errors as several entries, in the order thrown', async () => {
    const res = await request(server).get('/several').expect(400);
    expect(res.body).toEqual({
      errors: [
        { title: 'INVALID_QUERY_PARAM', detail: 'Empty or invalid query parameter', code: '1002' },
        { title: 'INVALID_SORT_PARAM', detail: 'Invalid sort parameter', code: '2004' },
      ],
    });
  });

  it('takes the status of a server error among several, and reports each error', async () => {
    reported.length = 0;
    const res = await request(server).get('/several-with-server-error').expect(503);
    expect(res.body.errors.map((error: { code: string }) => error.code)).toEqual(['1007', '1004']);
    expect(reported.map((error) => error.code)).toEqual(['invalid_tenant_1007', 'service_unavailable_1004']);
  });

  it('answers at most the first 100 errors of a group, so that the body stays bounded', async () => {
    const res = await request(server).get('/many').expect(400);
    expect(res.body.errors).toHaveLength(100);
  });

  it('redacts a group holding a plain error as one internal error', async () => {
    const res = await request(server).get('/group-with-plain-error').expect(500);
    expect(res.body).toEqual({ errors: [{ title: 'INTERNAL_ERROR', detail: 'Internal server error', code: '1005' }] });
    expect(res.text).not.toContain('hunter2');
  });

  it.each([['/empty-group'], ['/group-not-a-list']])('answers %s as one redacted error whose cause is what was thrown', async (path) => {
    reported.length = 0;
    const res = await request(server).get(path).expect(500);
    expect(res.body).toEqual({ errors: [{ title: 'INTERNAL_ERROR', detail: 'Internal server error', code: '1005' }] });
    expect(reported).toHaveLength(1);
    expect(reported[0]?.cause).toBeInstanceOf(AggregateError);
  });

  it("maps thrown errors that carry only a status to Vimond's codes", async () => {
    const plain = await request(server).get('/plain-error').expect(500);
    expect(plain.body).toEqual({ errors: [{ title: 'INTERNAL_ERROR', detail: 'Internal server error', code: '1005' }] });
    const notFound = await request(server).get('/http-404').expect(404);
    expect(notFound.body).toEqual({
      errors: [{ title: 'RESOURCE_NOT_FOUND', detail: 'The requested resource was not found', code: '1008' }],
    });
  });

  it('answers a body express.json() cannot parse with INVALID_REQUEST_BODY 1010, not INVALID_REQUEST_PARAM', async () => {
    reported.length = 0;
    const res = await request(server).post('/codes/any').set('Content-Type', 'application/json').send('{"user": "u1",').expect(400);
    expect(res.body).toEqual({ errors: [{ title: 'INVALID_REQUEST_BODY', detail: 'Empty or invalid request body', code: '1010' }] });
    expect(reported.map((error) => [error.code, error.details])).toEqual([
      ['invalid_request_body_1010', 'The request body could not be parsed.'],
    ]);
    // Other body-parser failures keep their own status: too large is a 413, which Vimond's table has no row for.
    const tooLarge = await request(server)
      .post('/codes/any')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(200_000) }))
      .expect(413);
    expect(tooLarge.body.errors[0]).toMatchObject({ title: 'UNKNOWN', code: '0' });
  });

  it("sends a status without a Vimond row as Vimond's UNKNOWN 0, never an invented title", async () => {
    const res = await request(server).get('/http-405').expect(405);
    expect(res.body).toEqual({ errors: [{ title: 'UNKNOWN', detail: vimondRegistry.get('client_error').message, code: '0' }] });
  });
});

describe.each(expressVersions)('several errors in other formats on %s', (_name, express) => {
  it('shows the primary error alone in a format that writes one', async () => {
    const app = appWith(
      express,
      {
        '/several': () => {
          throw new AggregateError([
            passRegistry.create('invalid_header'),
            passRegistry.create('internal_error'),
            passRegistry.create('bad_request'),
          ]);
        },
      },
      { formatters: [jsonFormatter] },
    );
    const res = await request(app).get('/several').expect(500);
    expect(res.body).toMatchObject({ code: 'internal_error', status: 500 });
    expect(res.text).not.toContain('invalid_header');
  });

  it("extends the catalog with a service's own rows in one table", async () => {
    const catalog = {
      ...vimondCatalog,
      playback_paused_9001: { vimondCode: '9001', title: 'PLAYBACK_PAUSED', status: 409, action: 'none', message: 'Playback is paused' },
    } as const;
    const registry = createRegistry(
      { ...vimondDefinitions(catalog), ...genericErrorCodes },
      { name: 'service', fallbacks: genericFallbacks },
    );
    const app = appWith(
      express,
      {
        '/paused': () => {
          throw registry.create('playback_paused_9001');
        },
      },
      { registry, formatters: [createVimondFormatter(catalog)] },
    );
    const res = await request(app).get('/paused').expect(409);
    expect(res.body).toEqual({ errors: [{ title: 'PLAYBACK_PAUSED', detail: 'Playback is paused', code: '9001' }] });
  });
});
