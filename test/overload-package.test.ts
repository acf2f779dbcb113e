import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as overload from '../src/overload';

const run = promisify(execFile);
const root = resolve(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');

/**
 * The subpath as a user gets it: the build (into a copy of the package, so
 * that it never races another test's build of dist/) reached through the
 * package's `exports` and `typesVersions` from a separate project.
 */
describe('the express-enhanced-errors/overload subpath', () => {
  let work: string;
  let consumer: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'eee-overload-'));
    const pkg = join(work, 'express-enhanced-errors');
    consumer = join(work, 'consumer');
    await mkdir(pkg);
    await mkdir(join(consumer, 'node_modules'), { recursive: true });
    await copyFile(join(root, 'package.json'), join(pkg, 'package.json'));
    await symlink(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    await run(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist'), '--sourceMap', 'false'], {
      cwd: root,
    });
    await symlink(pkg, join(consumer, 'node_modules', 'express-enhanced-errors'), 'dir');
    await symlink(join(root, 'node_modules', '@types'), join(consumer, 'node_modules', '@types'), 'dir');
  }, 120_000);
  afterAll(() => (work === undefined ? undefined : rm(work, { recursive: true, force: true })));

  const sourceNames = Object.keys(overload).sort();
  const probe = `const shedding = overload.loadShedding({ log: false, maxInFlight: 5 });
    console.log(JSON.stringify({ names: Object.keys(overload).filter((name) => name !== 'default' && name !== '__esModule').sort(), limit: shedding.state().limits.maxInFlight }));
    shedding.stop();`;

  it('loads with require and with an ES import', async () => {
    const required = await run(process.execPath, ['-e', `const overload = require('express-enhanced-errors/overload');${probe}`], {
      cwd: consumer,
    });
    const imported = await run(
      process.execPath,
      ['--input-type=module', '-e', `const overload = await import('express-enhanced-errors/overload');${probe}`],
      { cwd: consumer },
    );
    for (const { stdout } of [required, imported]) expect(JSON.parse(stdout)).toEqual({ names: sourceNames, limit: 5 });
  }, 60_000);

  it('gives its types under both node10 and nodenext resolution', async () => {
    const source = `import { loadShedding, type LoadSheddingState } from 'express-enhanced-errors/overload';
      import { passRegistry } from 'express-enhanced-errors';
      const shedding = loadShedding({ registry: passRegistry, maxInFlight: 100 });
      export const state: LoadSheddingState = shedding.state();
      export const overloaded: boolean = state.overloaded;\n`;
    await writeFile(join(consumer, 'consumer.ts'), source);
    const compile = (moduleResolution: string, module: string) =>
      run(
        process.execPath,
        [
          tsc,
          '--noEmit',
          '--strict',
          '--skipLibCheck',
          '--types',
          'node',
          '--target',
          'es2022',
          '--module',
          module,
          '--moduleResolution',
          moduleResolution,
          'consumer.ts',
        ],
        { cwd: consumer },
      );
    await Promise.all([compile('node10', 'commonjs'), compile('nodenext', 'nodenext')]);
  }, 60_000);
});
