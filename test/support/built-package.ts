import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(__dirname, '..', '..');
const dist = join(root, 'dist');
const tsc = require.resolve('typescript/bin/tsc');
const cache = join(root, 'node_modules', '.cache', 'express-enhanced-errors');
/** Which inputs dist/ was last built from, and when that build ended. */
const stampFile = join(cache, 'dist-stamp.json');
const lockDir = join(cache, 'dist-lock');
/** A lock older than any build is left over from a killed run. */
const STALE_LOCK_MS = 5 * 60_000;

/** Everything `npm run build` reads: src/, the tsconfigs, package.json and the compiler's version. */
async function inputsHash(): Promise<string> {
  const hash = createHash('sha256');
  const add = async (path: string): Promise<void> => {
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await add(full);
      else
        hash
          .update(`${full}\0`)
          .update(await readFile(full))
          .update('\0');
    }
  };
  await add(join(root, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package.json', require.resolve('typescript/package.json')]) {
    hash
      .update(`${file}\0`)
      .update(await readFile(resolve(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

/** The mtime of dist/index.js, or undefined without one: a later `npm run build` or a removed dist/ shows there. */
async function builtAt(): Promise<number | undefined> {
  return stat(join(dist, 'index.js')).then(
    (stats) => stats.mtimeMs,
    () => undefined,
  );
}

async function upToDate(inputs: string): Promise<boolean> {
  const stamp = await readFile(stampFile, 'utf8').then(
    (text) => JSON.parse(text) as { inputs?: string; builtAt?: number },
    () => undefined,
  );
  return stamp !== undefined && stamp.inputs === inputs && stamp.builtAt === (await builtAt());
}

async function takeLock(): Promise<boolean> {
  try {
    await mkdir(lockDir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const since = await stat(lockDir).then(
      (stats) => Date.now() - stats.mtimeMs,
      () => 0,
    );
    if (since > STALE_LOCK_MS) await rm(lockDir, { recursive: true, force: true });
    return false;
  }
}

let built: Promise<string> | undefined;

/**
 * dist/ as `npm run build` writes it (the type-checked build of
 * tsconfig.build.json), built once for the current sources: the test files
 * that need the built package share one build, and a run whose sources did
 * not change since the last build makes none. Test files running at the
 * same time wait for the one that builds. Returns the path of dist/.
 */
export function builtPackage(): Promise<string> {
  built ??= (async () => {
    await mkdir(cache, { recursive: true });
    const inputs = await inputsHash();
    for (;;) {
      if (await upToDate(inputs)) return dist;
      if (await takeLock()) break;
      await new Promise((wake) => setTimeout(wake, 200));
    }
    try {
      if (!(await upToDate(inputs))) {
        await run(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root });
        await writeFile(stampFile, JSON.stringify({ inputs, builtAt: await builtAt() }));
      }
      return dist;
    } finally {
      await rm(lockDir, { recursive: true, force: true });
    }
  })();
  return built;
}
