import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { check, load, startServer, stopServer } from './harness';
import { variantNamed } from './variants';

/**
 * `npm run bench:profile -- VARIANT [--duration=S]`: loads one variant's
 * server under `node --cpu-prof` and prints where its CPU time went: the
 * functions with the most self time, and the time per package or source
 * folder. The .cpuprofile is kept for Chrome DevTools.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package>, src/<folder>, or Node's own internals. */
function owner(url: string): string {
  if (url === '') return '(native / vm)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1] as string;
  const inSource = /\/(src\/[^/]+|bench)\//.exec(url);
  if (inSource) return inSource[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

export function summarizeProfile(profile: CpuProfile, top: number) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0);
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const where = frame.url === '' ? '' : ` ${frame.url.replace(/^.*?(node_modules|src|bench)\//, '$1/')}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    byOwner.set(owner(frame.url), (byOwner.get(owner(frame.url)) ?? 0) + time);
  }
  const share = (entries: Map<string, number>, count: number) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, time]) => `${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`);
  return { functions: share(byFunction, top), owners: share(byOwner, 15) };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { duration: { type: 'string' }, connections: { type: 'string' }, top: { type: 'string' } },
  });
  const variant = variantNamed(positionals[0]);
  const duration = Number(values.duration ?? 10);
  const connections = Number(values.connections ?? 10);
  const outDir = path.join(__dirname, 'results', 'profiles', `${variant.name}-${Date.now()}`);
  mkdirSync(outDir, { recursive: true });

  const server = await startServer(variant, ['--cpu-prof', '--cpu-prof-dir', outDir]);
  try {
    await check(server);
    const sample = await load(server, { connections }, duration);
    console.log(
      `${variant.name}: ${Math.round(sample.requestsPerSecond)} req/s, ${sample.cpuMicrosecondsPerRequest.toFixed(1)} µs CPU/request (under the profiler)`,
    );
  } finally {
    await stopServer(server);
  }
  const file = readdirSync(outDir).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no profile written in ${outDir}`);
  const { functions, owners } = summarizeProfile(JSON.parse(readFileSync(path.join(outDir, file), 'utf8')), Number(values.top ?? 25));
  console.log(`\nself time by package / folder:\n${owners.join('\n')}`);
  console.log(`\nself time by function:\n${functions.join('\n')}`);
  console.log(`\nprofile: ${path.join(outDir, file)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
