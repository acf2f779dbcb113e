import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builtPackage } from '../test/support/built-package';
import { median } from './stats';

const run = promisify(execFile);

export interface ColdStart {
  /** Median milliseconds of `require` of the built root entry (dist/index.js) in a fresh node process. */
  readonly packageMs: number;
  /** The same for `require('express')`, for scale. */
  readonly expressMs: number;
  /** packageMs / expressMs. */
  readonly ratio: number;
  /** Processes started per figure. */
  readonly runs: number;
}

/** Milliseconds one fresh node process spends in `require(specifier)`, timed inside the process. */
async function requireMs(specifier: string): Promise<number> {
  const script = `const { performance } = require('node:perf_hooks'); const start = performance.now(); require(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - start));`;
  const { stdout } = await run(process.execPath, ['-e', script], { cwd: join(__dirname, '..') });
  const ms = Number(stdout);
  if (!Number.isFinite(ms)) throw new Error(`cold start: no figure for ${specifier}: ${JSON.stringify(stdout)}`);
  return ms;
}

async function medianOf(specifier: string, runs: number): Promise<number> {
  const samples: number[] = [];
  // One process at a time: processes started side by side would share the cores.
  for (let index = 0; index < runs; index += 1) samples.push(await requireMs(specifier));
  return median(samples);
}

/**
 * The cost of loading the package: `require` of the built root entry and of
 * express, each the median of `runs` fresh node processes. Builds dist/ first
 * when the sources changed since the last build.
 *
 * @example
 * const { packageMs, expressMs, ratio } = await measureColdStart();
 */
export async function measureColdStart(runs = 7): Promise<ColdStart> {
  if (!Number.isSafeInteger(runs) || runs < 1) throw new TypeError(`measureColdStart: runs must be a positive integer, got ${runs}`);
  const dist = await builtPackage();
  const packageMs = await medianOf(join(dist, 'index.js'), runs);
  const expressMs = await medianOf('express', runs);
  return { packageMs, expressMs, ratio: packageMs / expressMs, runs };
}

if (require.main === module) {
  measureColdStart().then(
    ({ packageMs, expressMs, ratio, runs }) => {
      console.log(`require of the root entry (dist/index.js): ${packageMs.toFixed(1)} ms (median of ${runs} processes)`);
      console.log(`require('express'):                       ${expressMs.toFixed(1)} ms`);
      console.log(`ratio:                                     ${ratio.toFixed(2)}`);
    },
    (failure: unknown) => {
      console.error(failure);
      process.exitCode = 1;
    },
  );
}
