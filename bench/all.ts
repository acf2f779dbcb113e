import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * `npm run bench`: the error-path benchmark (bench/run.ts, given this
 * command's arguments), then the overload benchmark (bench/overload.ts, set
 * through its OVERLOAD_* environment variables), then the Fetch adapter's
 * (bench/fetch.ts), one after the other so that they never load the machine together.
 */
for (const [script, args] of [
  ['run.ts', process.argv.slice(2)],
  ['overload.ts', []],
  ['fetch.ts', []],
] as const) {
  const { status } = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, script), ...args], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
