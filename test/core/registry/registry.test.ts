import request from 'supertest';
import { createRegistry, EnhancedError, enhancedErrorHandler, passRegistry, type RegistryView } from '../../../src';
import { passRestV1Registry, passRestV2Registry, vimondRegistry } from '../../../src/core/catalogs';
import { appWith, express5Only } from '../../support/apps';
import { canonicalTable, restV1Table, restV2Table, type TableRow } from '../../support/spec-tables';
import { docsRegistryTable } from '../../support/docs-tables';

const catalogs: [string, RegistryView, TableRow[], number][] = [
  ['passRegistry', passRegistry, canonicalTable(), 47],
  ['passRestV2Registry', passRestV2Registry, restV2Table(), 47],
  ['passRestV1Registry', passRestV1Registry, restV1Table(), 25],
];

describe.each(catalogs)('%s against its table in the specification', (_name, registry, table, count) => {
  it(`has exactly the table's ${count} codes`, () => {
    expect(table).toHaveLength(count);
    const specCodes = [...registry].filter((entry) => entry.origin !== 'library').map((entry) => entry.code);
    expect(specCodes.sort()).toEqual(table.map((row) => row.code).sort());
  });

  it.each(table.map((row) => [row.code, row]))('%s has the table action, statuses and message', (code, row) => {
    const entry = registry.get(code);
    expect(entry).toMatchObject({ code, action: row.action, message: row.message });
    expect(entry?.origin).toBeUndefined();
    expect([...(entry?.statuses ?? [])].sort()).toEqual([...row.statuses].sort());
    // The table gives no default; REST v1's internal_error defaults to 500, as its name says.
    expect(entry?.status).toBe(registry === passRestV1Registry && code === 'internal_error' ? 500 : row.statuses[0]);
  });

  it("adds only this library's generic codes, marked as such, with every status of their class", () => {
    const additions = [...registry].filter((entry) => entry.origin === 'library');
    const expected =
      registry === passRegistry
        ? ['not_found', 'client_error', 'server_error']
        : ['too_many_requests', 'service_unavailable', 'not_found', 'client_error', 'server_error'];
    expect(additions.map((entry) => entry.code)).toEqual(expected);
    expect(registry.get('client_error')?.statuses).toEqual(Array.from({ length: 100 }, (_, index) => 400 + index));
    expect(registry.get('server_error')?.statuses).toEqual(Array.from({ length: 100 }, (_, index) => 500 + index));
    expect(registry.fallbacks).toEqual({ clientError: 'client_error', serverError: 'server_error' });
    // The REST lists borrow the canonical table's own 429 and 503 codes, word for word, with its helpUrl.
    for (const code of ['too_many_requests', 'service_unavailable']) {
      if (registry === passRegistry) continue;
      // Only the origin differs: an addition to the list, yet a code of the canonical table.
      const { origin, ...borrowed } = registry.get(code) ?? {};
      expect(origin).toBe('library');
      expect(borrowed).toEqual(passRegistry.get(code));
    }
  });
});

describe('the registries table of docs/errors-and-handler.md', () => {
  it("gives each built-in registry's count of listed codes and its size", () => {
    const registries = [passRegistry, passRestV2Registry, passRestV1Registry, vimondRegistry];
    expect(docsRegistryTable()).toEqual(
      registries.map((registry) => ({
        name: registry.name,
        listed: [...registry].filter((entry) => entry.origin !== 'library').length,
        size: registry.size,
      })),
    );
  });
});

describe.each(express5Only)('%s: every catalog code over HTTP', (_name, express) => {
  it.each(catalogs.map(([name, registry, table]) => [name, registry, table] as const))(
    '%s answers every code with its action and every allowed status',
    async (_registryName, registry, table) => {
      const app = appWith(
        express,
        {
          '/:code/:status': (req) => {
            throw registry.create(String(req.params.code), { status: Number(req.params.status) });
          },
        },
        { registry },
      );
      for (const row of table) {
        for (const status of row.statuses) {
          const res = await request(app).get(`/${row.code}/${status}`);
          expect(res.status).toBe(status);
          expect(res.body).toMatchObject({ action: row.action, status, code: row.code, message: row.message });
        }
      }
    },
  );
});

describe('createRegistry validates definitions at start-up', () => {
  const valid = { status: 400, action: 'none', message: 'Bad.' } as const;
  it.each([
    ['a status outside 4xx/5xx', { bad_thing: { ...valid, status: 302 } }, /status must be a 4xx\/5xx integer/],
    ['a fractional status', { bad_thing: { ...valid, status: 400.5 } }, /status must be/],
    ['an empty status list', { bad_thing: { ...valid, status: [] } }, /status must be/],
    ['duplicate statuses', { bad_thing: { ...valid, status: [400, 400] } }, /duplicates/],
    ['an unknown action', { bad_thing: { ...valid, action: 'reboot' } }, /action must be one of none, configuration/],
    ['an empty message', { bad_thing: { ...valid, message: '' } }, /message must be a non-empty string/],
    ['a code that is not snake_case', { BadThing: valid }, /snake_case/],
    ['an empty code', { '': valid }, /snake_case/],
    ['a misspelt field', { bad_thing: { ...valid, stauts: 400 } }, /unknown field "stauts"/],
    ['a relative helpUrl', { bad_thing: { ...valid, helpUrl: '/errors' } }, /helpUrl must be an absolute http\(s\) URL/],
    ['a negative retryAfter', { bad_thing: { ...valid, retryAfter: -1 } }, /retryAfter/],
  ])('rejects %s', (_what, definitions, message) => {
    expect(() => createRegistry(definitions as never, { name: 'svc' })).toThrow(message);
  });

  it('names the registry and the code in the message', () => {
    expect(() => createRegistry({ bad_thing: { ...valid, status: 200 } }, { name: 'svc' })).toThrow(
      'createRegistry(svc): code "bad_thing": status must be a 4xx/5xx integer or a non-empty list of them, got 200',
    );
  });
});

describe('registry.create', () => {
  it('uses the first allowed status by default and accepts the others', () => {
    expect(passRestV1Registry.create('internal_error').status).toBe(500);
    expect(passRestV1Registry.create('internal_error', { status: 400 }).status).toBe(400);
    expect(passRestV1Registry.create('internal_error', { status: 405 }).status).toBe(405);
    expect(passRestV1Registry.create('internal_error', { status: 500 }).expose).toBe(false);
  });

  it('throws a clear error for an unknown code or a disallowed status from untyped callers', () => {
    const untyped = passRegistry as unknown as { create(code: string, init?: { status?: number }): EnhancedError };
    expect(() => untyped.create('no_such_code')).toThrow('passRegistry.create: unknown code "no_such_code"');
    expect(() => untyped.create('bad_request', { status: 404 })).toThrow(
      'passRegistry.create(bad_request): status 404 is not allowed; allowed: 400',
    );
  });

  it('supports has, get and iteration over its entries', () => {
    expect(passRegistry.has('bad_request')).toBe(true);
    expect(passRegistry.has('no_such_code')).toBe(false);
    expect(passRegistry.get('no_such_code')).toBeUndefined();
    const entries = [...passRegistry];
    expect(entries).toHaveLength(50);
    expect(entries.map((entry) => entry.code)).toEqual(passRegistry.codes);
  });

  it('lets a service extend a built-in catalog with its own codes', async () => {
    const service = createRegistry({
      ...passRegistry.definitions,
      video_not_found: { status: 404, action: 'none', message: 'The video does not exist.' },
    });
    const app = appWith(
      express5Only[0][1],
      {
        '/': () => {
          throw service.create('video_not_found', { details: 'id 42' });
        },
      },
      { registry: service },
    );
    const res = await request(app).get('/').expect(404);
    expect(res.body).toMatchObject({ code: 'video_not_found', details: 'id 42', action: 'none' });
  });

  it('refuses a status map that names a code the registry lacks, at start-up', () => {
    expect(() => enhancedErrorHandler({ statusCodes: { 404: 'nope' } })).toThrow('statusCodes[404]: passRegistry has no code "nope"');
    expect(() => enhancedErrorHandler({ statusCodes: { 404: 'bad_request' } })).toThrow(
      'statusCodes[404]: code "bad_request" does not allow status 404',
    );
  });
});

describe('stack traces', () => {
  const definitions = {
    slow_down: { status: 429, action: 'retry-after', message: 'Slow down.' },
    broken: { status: 500, action: 'none', message: 'Broken.' },
  } as const;
  const frames = (error: Error) => (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).length;

  it('are captured for 5xx only by default: a 4xx is an answer, not a failure', () => {
    const registry = createRegistry(definitions);
    const limit = Error.stackTraceLimit;
    const clientError = registry.create('slow_down');
    expect(clientError.stack).toBe('EnhancedError: Slow down.');
    expect(frames(registry.create('broken'))).toBeGreaterThan(0);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(frames(new Error('after'))).toBeGreaterThan(0);
  });

  it("are captured for every error with stackTraces: 'all'", () => {
    const registry = createRegistry(definitions, { stackTraces: 'all' });
    expect(frames(registry.create('slow_down'))).toBeGreaterThan(0);
  });

  it('refuses another value at creation', () => {
    expect(() => createRegistry(definitions, { name: 'svc', stackTraces: 'some' as never })).toThrow(
      "createRegistry(svc): stackTraces must be 'server-errors' or 'all', got \"some\"",
    );
  });
});
