import { execFile } from 'node:child_process';
import { cp, mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import * as rootEntry from '../../src';
import * as catalogs from '../../src/core/catalogs';
import * as client from '../../src/client';
import * as docs from '../../src/docs';
import * as formats from '../../src/core/formats';
import * as items from '../../src/items';
import * as logging from '../../src/logging';
import * as mappers from '../../src/core/normalize/mappers';
import * as rateLimitIntegration from '../../src/integrations/rate-limit';
import * as upstreamIntegration from '../../src/integrations/upstream';
import * as telemetry from '../../src/telemetry';
import * as overload from '../../src/overload';
import * as evolution from '../../src/evolution';
import * as fetchAdapter from '../../src/adapters/fetch';
import * as honoAdapter from '../../src/adapters/hono';
import { builtPackage } from '../support/built-package';
import { tscErrors } from '../support/type-check';

const run = promisify(execFile);
const tsc = require.resolve('typescript/bin/tsc');
const root = resolve(__dirname, '..', '..');
const packageJson = require('../../package.json') as {
  exports: Record<string, unknown>;
  typesVersions: { '*': Record<string, string[]> };
  bin: Record<string, string>;
};

/** What each framework's adapter names as the root entry names it for Express: `app.onError(enhancedErrorHandler())`. */
const ADAPTER_COUNTERPARTS = ['enhancedErrorHandler', 'notFoundHandler'];

/** Every entry point a user can import, with the source module it is built from. */
const entries: ReadonlyArray<readonly [specifier: string, source: object]> = [
  ['express-enhanced-errors', rootEntry],
  ['express-enhanced-errors/items', items],
  ['express-enhanced-errors/catalogs', catalogs],
  ['express-enhanced-errors/formats', formats],
  ['express-enhanced-errors/docs', docs],
  ['express-enhanced-errors/logging', logging],
  ['express-enhanced-errors/client', client],
  ['express-enhanced-errors/mappers', mappers],
  ['express-enhanced-errors/integrations/rate-limit', rateLimitIntegration],
  ['express-enhanced-errors/integrations/upstream', upstreamIntegration],
  ['express-enhanced-errors/telemetry', telemetry],
  ['express-enhanced-errors/overload', overload],
  ['express-enhanced-errors/evolution', evolution],
  ['express-enhanced-errors/fetch', fetchAdapter],
  ['express-enhanced-errors/hono', honoAdapter],
];

/** Type-checks `source` as a strict project of its own in `dir`, once per module resolution given. */
async function typeCheckConsumer(
  dir: string,
  source: string,
  resolutions: ReadonlyArray<readonly [moduleResolution: string, module: string]>,
) {
  await writeFile(join(dir, 'consumer.ts'), source);
  const args = ['--noEmit', '--strict', '--esModuleInterop', '--skipLibCheck', '--types', 'node', '--target', 'es2022'];
  const errors = resolutions.flatMap(([moduleResolution, module]) =>
    tscErrors(dir, [...args, '--module', module, '--moduleResolution', moduleResolution, 'consumer.ts']).map(
      (error) => `${moduleResolution}: ${error}`,
    ),
  );
  expect(errors).toEqual([]);
}

const namesOf = (source: object): string[] =>
  Object.keys(source)
    .filter((name) => name !== 'default' && name !== '__esModule')
    .sort();

describe('the root entry', () => {
  it('holds at most 15 values: what every user needs', () => {
    expect(namesOf(rootEntry)).toEqual([
      'ACTIONS',
      'EnhancedError',
      'adobePassOptions',
      'createRegistry',
      'enhancedErrorHandler',
      'genericErrorCodes',
      'isAction',
      'isEnhancedError',
      'notFoundHandler',
      'passRegistry',
      'requestContext',
      'requestContextOf',
    ]);
    expect(namesOf(rootEntry).length).toBeLessThanOrEqual(15);
  });

  it('exports no value twice across the entry points (one import path per name), but an adapter’s counterpart of the Express handlers', () => {
    const seen = new Map<string, string>();
    const repeated: string[] = [];
    for (const [specifier, source] of entries) {
      for (const name of namesOf(source)) {
        if (specifier.endsWith('/hono') && ADAPTER_COUNTERPARTS.includes(name)) continue;
        const first = seen.get(name);
        if (first !== undefined) repeated.push(`${name}: ${first} and ${specifier}`);
        seen.set(name, specifier);
      }
    }
    expect(repeated).toEqual([]);
  });

  it('lists every entry point in package.json exports and typesVersions', () => {
    const subpaths = entries.map(([specifier]) => specifier.replace('express-enhanced-errors', '.'));
    expect(Object.keys(packageJson.exports).filter((key) => key !== './package.json')).toEqual(subpaths);
    expect(Object.keys(packageJson.typesVersions['*'])).toEqual(subpaths.slice(1).map((subpath) => subpath.slice(2)));
  });
});

/**
 * Each entry point as a user gets it: `npm run build`'s output, reached
 * through the package's `exports` from a separate project that has the
 * package in its node_modules.
 */
describe('the built package, every entry point', () => {
  let consumer: string;

  beforeAll(async () => {
    await builtPackage();
    consumer = await mkdtemp(join(tmpdir(), 'eee-package-'));
    await mkdir(join(consumer, 'node_modules'));
    await symlink(root, join(consumer, 'node_modules', 'express-enhanced-errors'), 'dir');
    await symlink(join(root, 'node_modules', '@types'), join(consumer, 'node_modules', '@types'), 'dir');
  }, 120_000);
  afterAll(() => (consumer === undefined ? undefined : rm(consumer, { recursive: true, force: true })));

  /**
   * One process per module system: every entry point loaded, its export names printed by specifier.
   * Node 23+ adds `module.exports` to an ES import of CommonJS: not a name of ours.
   */
  const specifiers = JSON.stringify(entries.map(([specifier]) => specifier));
  const namesBySpecifier = Object.fromEntries(entries.map(([specifier, source]) => [specifier, namesOf(source)]));
  const listNames = `console.log(JSON.stringify(Object.fromEntries(loaded.map(([specifier, entry]) =>
    [specifier, Object.keys(entry).filter((name) => !['default', '__esModule', 'module.exports'].includes(name)).sort()]))))`;

  it('maps validation libraries by shape: loading the package and its mappers loads none of them', async () => {
    const script = `const mappers = require('express-enhanced-errors/mappers');
      require('express-enhanced-errors').enhancedErrorHandler();
      const loaded = Object.keys(require.cache).filter((path) => /[\\\\/]node_modules[\\\\/](zod|zod3|express-validator|celebrate|joi|express-openapi-validator|@hapi|valibot|arktype|arkregex|@ark|@standard-schema|hono|@hono)[\\\\/]/.test(path));
      console.log(JSON.stringify({ builtIn: mappers.BUILT_IN_MAPPERS.length, loaded }));`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual({ builtIn: mappers.BUILT_IN_MAPPERS.length, loaded: [] });
  }, 60_000);

  it('loads every entry point with require, every named export included', async () => {
    const script = `const loaded = ${specifiers}.map((specifier) => [specifier, require(specifier)]);${listNames}`;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual(namesBySpecifier);
  }, 30_000);

  it('loads every entry point with import from an ES module, every named export included', async () => {
    const script = `const loaded = await Promise.all(${specifiers}.map(async (specifier) => [specifier, await import(specifier)]));${listNames}`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual(namesBySpecifier);
  }, 30_000);

  it('gives named ES imports of the root entry and a subpath', async () => {
    const named = `import { enhancedErrorHandler, passRegistry } from 'express-enhanced-errors';
      import { vimondRegistry } from 'express-enhanced-errors/catalogs';
      console.log(typeof enhancedErrorHandler, passRegistry.size, vimondRegistry.size);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', named], { cwd: consumer });
    expect(stdout.trim()).toBe(`function ${rootEntry.passRegistry.size} ${catalogs.vimondRegistry.size}`);
  }, 30_000);

  const bin = join(root, packageJson.bin['express-enhanced-errors'] as string);

  it('has a bin, the built command with its shebang, run by node: check of a built-in registry by package name', async () => {
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    const lock = join(root, 'test', 'locks', 'vimondRegistry.lock.json');
    const args = [bin, 'check', 'express-enhanced-errors/catalogs#vimondRegistry', '--lock', lock];
    const { stdout } = await run(process.execPath, args, { cwd: consumer });
    expect(stdout).toBe(`vimondRegistry against ${lock}: no change\n`);
  }, 30_000);

  it('says how to load a TypeScript module when node alone cannot (an enum: no Node version strips it)', async () => {
    await writeFile(join(consumer, 'errors.ts'), "export enum Tier { Free = 'free' }\n");
    const failure = await run(process.execPath, [bin, 'lock', './errors.ts'], { cwd: consumer }).then(
      () => undefined,
      (error: { code?: unknown; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(
      /^express-enhanced-errors: cannot load \.\/errors\.ts \(a TypeScript module needs a loader: NODE_OPTIONS=--import=tsx, or name the compiled \.js\): [^\n]+\n$/,
    );
  }, 30_000);

  const clientProbe = `
    const body = '<error><action>retry</action><status>403</status><code>x</code><message>m</message></error>';
    const parsed = client.parseEnhancedErrorSync({ status: 403, body });
    const loaded = typeof require === 'function' ? Object.keys(require.cache) : [];
    console.log(JSON.stringify({
      kind: parsed.kind,
      expressLoaded: loaded.some((path) => /[\\\\/]node_modules[\\\\/]express[\\\\/]/.test(path)),
    }));`;

  it('loads the client with require, without loading Express', async () => {
    const { stdout } = await run(process.execPath, ['-e', `const client = require('express-enhanced-errors/client');${clientProbe}`], {
      cwd: consumer,
    });
    expect(JSON.parse(stdout)).toEqual({ kind: 'top-level', expressLoaded: false });
  }, 30_000);

  it('gives its types under node10, node16 and bundler resolution', async () => {
    const source = `import { createRegistry, enhancedErrorHandler, passRegistry, type Envelope } from 'express-enhanced-errors';
      import { enhancedErrorHandlerWithItems, planRetry } from 'express-enhanced-errors/items';
      import { passRestV2Registry, vimondCodes } from 'express-enhanced-errors/catalogs';
      import { problemJsonFormatter, vimondFormatter, type VimondError } from 'express-enhanced-errors/formats';
      import { catalogMarkdown, catalogRouter, openApiComponents } from 'express-enhanced-errors/docs';
      import { logErrors, type ErrorLogger } from 'express-enhanced-errors/logging';
      import { parseEnhancedError, withRetry, type ParsedResponse, type ReceivedError } from 'express-enhanced-errors/client';
      import { BUILT_IN_MAPPERS, zodMapper, type ErrorMapperFactory } from 'express-enhanced-errors/mappers';
      import { activeTraceId } from 'express-enhanced-errors/telemetry';
      import { loadShedding, type LoadSheddingState } from 'express-enhanced-errors/overload';
      import { checkRegistry, registryLock, type RegistryFinding } from 'express-enhanced-errors/evolution';

      const registry = createRegistry({ video_missing: { status: 404, action: 'none', message: 'No such video.' } });
      const { handler } = enhancedErrorHandlerWithItems({ registry, formatters: [problemJsonFormatter, vimondFormatter] });
      export const middleware: Function[] = [catalogRouter(registry), handler, enhancedErrorHandler({ onError: logErrors(console as unknown as ErrorLogger) })];
      export const facts: Array<string | number | boolean> = [
        passRegistry.has('too_many_requests'),
        passRestV2Registry.size,
        Object.keys(vimondCodes).length,
        catalogMarkdown(registry).length,
        Object.keys(openApiComponents(registry).schemas).length,
        planRetry([1, 2]).items.length,
      ];
      export const sample: Pick<Envelope, 'code'> & VimondError = { code: 'x', title: 'X' };
      export const mappers: readonly ErrorMapperFactory[] = [...BUILT_IN_MAPPERS, zodMapper];
      export const traceId: string | undefined = activeTraceId();
      export const state: LoadSheddingState = loadShedding({ registry, maxInFlight: 10 }).state();
      export const findings: RegistryFinding[] = checkRegistry(registry, registryLock(passRegistry));
      export async function codeOf(url: string): Promise<string | undefined> {
        const { response } = await withRetry(({ signal }) => fetch(url, { signal }));
        const parsed: ParsedResponse = await parseEnhancedError(response);
        const error: ReceivedError | undefined = parsed.kind === 'top-level' ? parsed.error : undefined;
        return error?.code;
      }\n`;
    await typeCheckConsumer(consumer, source, [
      ['node10', 'commonjs'],
      ['node16', 'node16'],
      ['bundler', 'esnext'],
    ]);
  }, 90_000);
});

describe('the built types, for a project without Node or Express types', () => {
  let consumer: string;

  beforeAll(async () => {
    await builtPackage();
    consumer = await mkdtemp(join(tmpdir(), 'eee-bare-'));
    // A copy, not a link: resolved from its real path, a link would find this repository's @types.
    const installed = join(consumer, 'node_modules', 'express-enhanced-errors');
    await mkdir(installed, { recursive: true });
    await cp(join(root, 'dist'), join(installed, 'dist'), { recursive: true });
    await cp(join(root, 'package.json'), join(installed, 'package.json'));
  }, 120_000);
  afterAll(() => (consumer === undefined ? undefined : rm(consumer, { recursive: true, force: true })));

  it('compiles with "types": [] and skipLibCheck off: the root entry, /items, /formats and /catalogs', async () => {
    await writeFile(
      join(consumer, 'consumer.ts'),
      `import { createRegistry, enhancedErrorHandler, passRegistry, type HttpRequest, type HttpResponse } from 'express-enhanced-errors';
      import { enhancedErrorHandlerWithItems } from 'express-enhanced-errors/items';
      import { problemJsonFormatter } from 'express-enhanced-errors/formats';
      import { passRestV2Registry } from 'express-enhanced-errors/catalogs';

      const registry = createRegistry({ video_missing: { status: 404, action: 'none', message: 'No such video.' } });
      const handler = enhancedErrorHandler({ registry, formatters: [problemJsonFormatter] });
      const { sendItems } = enhancedErrorHandlerWithItems({ registry });
      export function answer(req: HttpRequest, res: HttpResponse): void {
        handler(passRegistry.create('bad_request'), req, res, () => undefined);
        sendItems(req, res, { collection: 'resources', items: [{ id: passRestV2Registry.size }] });
      }
      export const missing: string = registry.create('video_missing').code;\n`,
    );
    const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ['es2022'], target: 'es2022' };
    await writeFile(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const resolutions: ReadonlyArray<readonly [moduleResolution: string, module: string]> = [
      ['node10', 'commonjs'],
      ['bundler', 'esnext'],
    ];
    for (const [moduleResolution, module] of resolutions) {
      await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--module', module, '--moduleResolution', moduleResolution], {
        cwd: consumer,
      }).catch((error: { stdout?: string }) => {
        throw new Error(`${moduleResolution}: ${error.stdout ?? String(error)}`);
      });
    }
  }, 120_000);
});

describe('src/client', () => {
  it("imports nothing but its own files, the shared types, the envelope's field table, the action list and saxes (no Express, no handler)", async () => {
    const clientDir = join(root, 'src', 'client');
    // Walked like the client's own files: what they import is held to the same rule.
    const allowedOutside = new Set([
      join(root, 'src', 'core', 'registry', 'actions.ts'),
      join(root, 'src', 'core', 'shared', 'types.ts'),
      join(root, 'src', 'core', 'envelope', 'fields.ts'),
    ]);
    const seen = new Set<string>();
    const queue = [join(clientDir, 'index.ts')];
    const offending: string[] = [];
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      const { importedFiles } = ts.preProcessFile(await readFile(file, 'utf8'), true, true);
      for (const { fileName } of importedFiles) {
        if (!fileName.startsWith('.')) {
          if (fileName !== 'saxes') offending.push(`${relative(root, file)} imports ${fileName}`);
          continue;
        }
        const target = `${resolve(dirname(file), fileName)}.ts`;
        if (dirname(target) === clientDir || allowedOutside.has(target)) queue.push(target);
        else offending.push(`${relative(root, file)} imports ${fileName}`);
      }
    }
    expect(offending).toEqual([]);
    expect(seen.size).toBeGreaterThan(5);
  });
});

/** The integration subpaths, built, from a consumer that has express-rate-limit installed. */
describe('the express-enhanced-errors/integrations/* subpaths', () => {
  let consumer: string;

  beforeAll(async () => {
    await builtPackage();
    consumer = await mkdtemp(join(tmpdir(), 'eee-integrations-'));
    await mkdir(join(consumer, 'node_modules'));
    await symlink(root, join(consumer, 'node_modules', 'express-enhanced-errors'), 'dir');
    for (const name of ['@types', 'express', 'express-rate-limit']) {
      await symlink(join(root, 'node_modules', name), join(consumer, 'node_modules', name), 'dir');
    }
  }, 120_000);
  afterAll(() => (consumer === undefined ? undefined : rm(consumer, { recursive: true, force: true })));

  it.each([
    ['integrations/rate-limit', rateLimitIntegration],
    ['integrations/upstream', upstreamIntegration],
  ])(
    '%s loads with require and import, without loading express-rate-limit or redis',
    async (subpath, source) => {
      const probe = `
      const loaded = typeof require === 'function' ? Object.keys(require.cache) : [];
      console.log(JSON.stringify({
        names: Object.keys(mod).filter((name) => !['default', '__esModule', 'module.exports'].includes(name)).sort(),
        foreign: loaded.filter((path) => /[\\/]node_modules[\\/](express-rate-limit|rate-limit-redis|redis|@redis)[\\/]/.test(path)),
      }));`;
      const names = Object.keys(source).sort();
      const required = await run(process.execPath, ['-e', `const mod = require('express-enhanced-errors/${subpath}');${probe}`], {
        cwd: consumer,
      });
      expect(JSON.parse(required.stdout)).toEqual({ names, foreign: [] });
      const imported = await run(
        process.execPath,
        ['--input-type=module', '-e', `const mod = await import('express-enhanced-errors/${subpath}');${probe}`],
        { cwd: consumer },
      );
      expect(JSON.parse(imported.stdout)).toEqual({ names, foreign: [] });
    },
    30_000,
  );

  it('types fit express-rate-limit 8 and fetch under node10 and nodenext resolution', async () => {
    const source = `import { rateLimit } from 'express-rate-limit';
      import { rateLimitHandler, rateLimitStoreGuard } from 'express-enhanced-errors/integrations/rate-limit';
      import { fromUpstreamResponse, type UpstreamError } from 'express-enhanced-errors/integrations/upstream';
      import { passRegistry, type EnhancedError } from 'express-enhanced-errors';
      import { fetchFailureMapper } from 'express-enhanced-errors/mappers';
      export const limiter = rateLimitStoreGuard(rateLimit({ limit: 5, standardHeaders: 'draft-8', handler: rateLimitHandler({ keyedBy: 'user' }) }));
      export const reset: (key: string) => unknown = limiter.resetKey;
      const mapFetchFailure = fetchFailureMapper(passRegistry);
      export async function call(url: string): Promise<unknown> {
        try {
          const response = await fetch(url);
          if (!response.ok) throw await fromUpstreamResponse(response);
          return await response.json();
        } catch (failure) {
          const mapped: EnhancedError | undefined = mapFetchFailure(failure);
          const cause = mapped?.cause as UpstreamError | undefined;
          throw mapped ?? cause ?? failure;
        }
      }\n`;
    await typeCheckConsumer(consumer, source, [
      ['node10', 'commonjs'],
      ['nodenext', 'nodenext'],
    ]);
  }, 60_000);
});
