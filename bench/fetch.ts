import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bunBinary } from '../test/support/runtimes/launch';
import { WORKERD_BUILD } from '../test/support/workerd-build';
import { measureColdStart } from './cold-start';
import type { FetchResponseResult } from './fetch-response';

/**
 * `npm run bench:fetch` (and part of `npm run bench`): toResponse against a
 * handwritten Response with the same bytes, on Node and on Bun, each in a
 * fresh process; then what decides serverless and edge use: the cold
 * `require` of the root entry beside express's, and the size of the `/fetch`
 * entry bundled for workerd.
 * BENCH_FETCH_MS (default 1000) per measurement, 5 each, interleaved.
 */
const root = path.join(__dirname, '..');
const milliseconds = process.env.BENCH_FETCH_MS ?? '1000';
const main = path.join(__dirname, 'fetch-response-main.ts');

function run(command: string, args: string[]): FetchResponseResult {
  const { status, stdout, stderr } = spawnSync(command, [...args, main, milliseconds, '5'], { encoding: 'utf8', cwd: root });
  if (status !== 0) throw new Error(`${command} failed (${status}): ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as FetchResponseResult;
}

async function workerBundleBytes(): Promise<{ minified: number; gzipped: number }> {
  const result = await build({ ...WORKERD_BUILD, entryPoints: [path.join(root, 'src/adapters/fetch/index.ts')], minify: true });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzipped: gzipSync(code).byteLength };
}

async function report(): Promise<void> {
  const kilo = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log('\ntoResponse vs a handwritten Response (same status, headers and bytes), responses made and read per second:');
  for (const result of [run(process.execPath, ['--import', 'tsx']), run(bunBinary(), [])]) {
    console.log(
      `  ${result.runtime.padEnd(5)} handwritten ${Math.round(result.handwritten).toLocaleString('en')}/s, ` +
        `toResponse ${Math.round(result.toResponse).toLocaleString('en')}/s → ${result.ratio.toFixed(2)}×`,
    );
  }
  const cold = await measureColdStart();
  console.log(
    `\ncold start, median of ${cold.runs} fresh node processes: require of the root entry ${cold.packageMs.toFixed(1)} ms, ` +
      `require('express') ${cold.expressMs.toFixed(1)} ms (${cold.ratio.toFixed(2)}× express)`,
  );
  const bundle = await workerBundleBytes();
  console.log(`express-enhanced-errors/fetch bundled for workerd: ${kilo(bundle.minified)} minified, ${kilo(bundle.gzipped)} gzipped\n`);
}

report().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
