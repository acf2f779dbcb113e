import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import * as packageEntry from '../src';
import * as client from '../src/client';

const run = promisify(execFile);
const root = resolve(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');

/**
 * The subpath as a user gets it: `npm run build`'s output, reached through
 * the package's `exports` from a separate project that has the package in its
 * node_modules.
 */
describe('the built package and its express-enhanced-errors/client subpath', () => {
  let consumer: string;

  beforeAll(async () => {
    await run(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root });
    consumer = await mkdtemp(join(tmpdir(), 'eee-client-'));
    await mkdir(join(consumer, 'node_modules'));
    await symlink(root, join(consumer, 'node_modules', 'express-enhanced-errors'), 'dir');
    await symlink(join(root, 'node_modules', '@types'), join(consumer, 'node_modules', '@types'), 'dir');
  }, 120_000);
  afterAll(() => (consumer === undefined ? undefined : rm(consumer, { recursive: true, force: true })));

  const probe = `
    const body = '<error><action>retry</action><status>403</status><code>x</code><message>m</message></error>';
    const parsed = client.parseEnhancedErrorSync({ status: 403, body });
    const loaded = typeof require === 'function' ? Object.keys(require.cache) : [];
    console.log(JSON.stringify({
      names: Object.keys(client).filter((name) => name !== 'default' && name !== '__esModule').sort(),
      kind: parsed.kind,
      expressLoaded: loaded.some((path) => /[\\\\/]node_modules[\\\\/]express[\\\\/]/.test(path)),
    }));`;
  const sourceNames = Object.keys(client).sort();

  it('loads with require, without loading Express', async () => {
    const { stdout } = await run(process.execPath, ['-e', `const client = require('express-enhanced-errors/client');${probe}`], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual({ names: sourceNames, kind: 'top-level', expressLoaded: false });
  });

  it('loads with a dynamic import from an ES module, with every named export', async () => {
    const script = `const client = await import('express-enhanced-errors/client');${probe}`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual({ names: sourceNames, kind: 'top-level', expressLoaded: false });
  });

  it('serves the main entry to require and to ES imports, every named export included', async () => {
    const list = `console.log(JSON.stringify(Object.keys(pkg).filter((name) => name !== 'default' && name !== '__esModule').sort()))`;
    const required = await run(process.execPath, ['-e', `const pkg = require('express-enhanced-errors');${list}`], { cwd: consumer });
    const imported = await run(process.execPath, ['--input-type=module', '-e', `import * as pkg from 'express-enhanced-errors';${list}`], { cwd: consumer });
    const rootNames = Object.keys(packageEntry).sort();
    expect(JSON.parse(required.stdout)).toEqual(rootNames);
    expect(JSON.parse(imported.stdout)).toEqual(rootNames);
    const named = `import { enhancedErrorHandler, passRegistry } from 'express-enhanced-errors';
      console.log(typeof enhancedErrorHandler, passRegistry.size);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', named], { cwd: consumer });
    expect(stdout.trim()).toBe('function 47');
    }, 60_000);

  it('gives its types under both node10 and nodenext resolution', async () => {
    const source = `import { parseEnhancedError, withRetry, type ParsedResponse, type ReceivedError } from 'express-enhanced-errors/client';
      import { passRegistry } from 'express-enhanced-errors';
      export const rootStillResolves: boolean = passRegistry.has('too_many_requests');
      export async function codeOf(url: string): Promise<string | undefined> {
        const { response } = await withRetry(({ signal }) => fetch(url, { signal }));
        const parsed: ParsedResponse = await parseEnhancedError(response);
        const error: ReceivedError | undefined = parsed.kind === 'top-level' ? parsed.error : undefined;
        return error?.code;
      }\n`;
    await writeFile(join(consumer, 'consumer.ts'), source);
    const compile = (moduleResolution: string, module: string) =>
      run(process.execPath, [tsc, '--noEmit', '--strict', '--skipLibCheck', '--types', 'node', '--target', 'es2022', '--module', module, '--moduleResolution', moduleResolution, 'consumer.ts'], { cwd: consumer });
    await Promise.all([compile('node10', 'commonjs'), compile('nodenext', 'nodenext')]);
  }, 60_000);
});

describe('src/client', () => {
  it('imports nothing but its own files, the action list and xmlbuilder2 (no Express, no handler)', async () => {
    const clientDir = join(root, 'src', 'client');
    const allowedOutside = new Set([join(root, 'src', 'registry', 'actions.ts')]);
    const seen = new Set<string>();
    const queue = [join(clientDir, 'index.ts')];
    const offending: string[] = [];
    for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      const { importedFiles } = ts.preProcessFile(await readFile(file, 'utf8'), true, true);
      for (const { fileName } of importedFiles) {
        if (!fileName.startsWith('.')) {
          if (fileName !== 'xmlbuilder2') offending.push(`${relative(root, file)} imports ${fileName}`);
          continue;
        }
        const target = `${resolve(dirname(file), fileName)}.ts`;
        if (dirname(target) === clientDir) queue.push(target);
        else if (allowedOutside.has(target)) seen.add(target);
        else offending.push(`${relative(root, file)} imports ${fileName}`);
      }
    }
    expect(offending).toEqual([]);
    expect(seen.size).toBeGreaterThan(5);
  });
});
