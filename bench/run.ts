import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { check, load, pinnedCores, type RunningServer, type Sample, startServer, stopServer, type WireAnswer } from './harness';
import { benchmarkSerializers, type SerializerResult } from './serializers';
import { median } from './stats';
import { type Variant, VARIANTS } from './variants';

/**
 * `npm run bench`: every variant in its own server process on loopback,
 * loaded with autocannon one at a time, in alternating order over several
 * rounds so that drift of the machine falls on every variant alike. Reports
 * the median requests/s per variant and, for each comparison, the median of
 * its per-round ratios, all measured in this one run.
 */

interface Settings {
  /** Seconds of load per variant per round. */
  duration: number;
  rounds: number;
  /** Seconds of load per variant before the first round, not counted. */
  warmup: number;
  connections: number;
  variants: readonly Variant[];
  serializers: boolean;
  /** Milliseconds per measurement of one serializer (5 measurements each). */
  serializerMilliseconds: number;
  outDir: string;
}

const HELP = `Usage: npm run bench -- [options]   (each option also reads from the environment)
  --duration=SECONDS     load per variant per round          BENCH_DURATION     default 3
  --rounds=N             alternating rounds                  BENCH_ROUNDS       default 7
  --warmup=SECONDS       uncounted load per variant first    BENCH_WARMUP       default 2
  --connections=N        concurrent connections              BENCH_CONNECTIONS  default 10
  --variants=a,b,...     only these variants                 BENCH_VARIANTS     default all
  --no-serializers       skip the serializer micro-benchmark
  --serializer-ms=MS     per serializer measurement (×5)     BENCH_SERIALIZER_MS default 1000
  --out=DIR              where results go                    BENCH_OUT          default bench/results
Variants: ${VARIANTS.map((variant) => variant.name).join(', ')}`;

function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      variants: { type: 'string' },
      'no-serializers': { type: 'boolean' },
      'serializer-ms': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const env = process.env;
  const names = (values.variants ?? env.BENCH_VARIANTS)?.split(',').map((name) => name.trim());
  const unknown = names?.filter((name) => !VARIANTS.some((variant) => variant.name === name)) ?? [];
  if (unknown.length > 0) fail(`unknown variant(s) ${unknown.join(', ')}\n\n${HELP}`);
  return {
    duration: positive('duration', values.duration ?? env.BENCH_DURATION, 3),
    rounds: positive('rounds', values.rounds ?? env.BENCH_ROUNDS, 7, true),
    warmup: positive('warmup', values.warmup ?? env.BENCH_WARMUP, 2, false, true),
    connections: positive('connections', values.connections ?? env.BENCH_CONNECTIONS, 10, true),
    variants: names === undefined ? VARIANTS : VARIANTS.filter((variant) => names.includes(variant.name)),
    serializers: values['no-serializers'] !== true,
    serializerMilliseconds: positive('serializer-ms', values['serializer-ms'] ?? env.BENCH_SERIALIZER_MS, 1000, true),
    outDir: path.resolve(values.out ?? env.BENCH_OUT ?? path.join(__dirname, 'results')),
  };
}

function positive(name: string, raw: string | undefined, fallback: number, integer = false, zeroAllowed = false): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  const valid = Number.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!valid) fail(`--${name} must be a ${integer ? 'positive integer' : 'positive number'}, got ${JSON.stringify(raw)}\n\n${HELP}`);
  return value;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

interface VariantSummary {
  name: string;
  description: string;
  accept: string;
  status: number;
  bodyBytes: number;
  medianRequestsPerSecond: number;
  minRequestsPerSecond: number;
  maxRequestsPerSecond: number;
  /** The server process's CPU time per response, median over the rounds: robust to a busy machine. */
  medianCpuMicrosecondsPerRequest: number;
  medianLatencyP50Ms: number;
  medianLatencyP99Ms: number;
  samples: number[];
  ratios: { to: string; ratio: number; target: number | null; met: boolean | null }[];
}

function summarize(servers: readonly RunningServer[], samples: Map<string, Sample[]>, bodies: Map<string, number>): VariantSummary[] {
  return servers.map(({ variant }) => {
    const runs = samples.get(variant.name) ?? [];
    const rates = runs.map((sample) => sample.requestsPerSecond);
    const own = median(rates);
    const ratios = variant.compareTo.flatMap(({ variant: other, target }) => {
      const references = samples.get(other);
      if (references === undefined) return [];
      // Paired by round: both were measured within one round, so the machine's
      // drift from round to round cancels out of each ratio.
      const ratio = median(runs.map((sample, round) => sample.requestsPerSecond / (references[round]?.requestsPerSecond ?? Number.NaN)));
      return [{ to: other, ratio, target: target ?? null, met: target === undefined ? null : ratio >= target }];
    });
    return {
      name: variant.name,
      description: variant.description,
      accept: variant.accept,
      status: variant.expectedStatus,
      bodyBytes: bodies.get(variant.name) ?? 0,
      medianRequestsPerSecond: own,
      minRequestsPerSecond: Math.min(...rates),
      maxRequestsPerSecond: Math.max(...rates),
      medianCpuMicrosecondsPerRequest: median(runs.map((sample) => sample.cpuMicrosecondsPerRequest)),
      medianLatencyP50Ms: median(runs.map((sample) => sample.latencyP50)),
      medianLatencyP99Ms: median(runs.map((sample) => sample.latencyP99)),
      samples: rates,
      ratios,
    };
  });
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverage: os.loadavg().map((value) => Number(value.toFixed(2))),
  };
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');

function ratiosCell(summary: VariantSummary): string {
  return summary.ratios
    .map(
      ({ to, ratio, target, met }) =>
        `${ratio.toFixed(2)}× ${to}${target === null ? '' : ` (target ≥ ${target}: ${met ? 'met' : 'NOT met'})`}`,
    )
    .join('<br>');
}

function markdown(report: Report): string {
  const { settings, machine: box } = report;
  const lines = [
    `Error-path benchmark, ${report.date}: ${box.cpu}, ${box.cores} cores, ${box.memoryGiB} GiB, ${box.os}, Node ${box.node}.`,
    `autocannon, ${settings.connections} connections, ${settings.rounds} rounds × ${settings.duration} s per variant in alternating order ` +
      `(after ${settings.warmup} s of warm-up each); ${pinnedCores()}; load average at start ${box.loadAverage.join(' ')}, at end ${report.loadAverageAtEnd.join(' ')}.`,
    '',
    '| Variant | Median req/s (min–max) | Server CPU µs/req | p99 latency | Median of per-round req/s ratios to |',
    '| --- | --- | --- | --- | --- |',
    ...report.variants.map(
      (summary) =>
        `| ${summary.name}: ${summary.description} | ${integer(summary.medianRequestsPerSecond)} ` +
        `(${integer(summary.minRequestsPerSecond)}–${integer(summary.maxRequestsPerSecond)}) | ` +
        `${summary.medianCpuMicrosecondsPerRequest.toFixed(1)} | ${summary.medianLatencyP99Ms} ms | ` +
        `${ratiosCell(summary)} |`,
    ),
  ];
  const targets = report.variants.flatMap((summary) =>
    summary.ratios
      .filter((ratio) => ratio.target !== null)
      .map((ratio) => `${summary.name} ≥ ${ratio.target}× ${ratio.to}: ${ratio.met ? 'met' : 'NOT met'} (${ratio.ratio.toFixed(2)}×)`),
  );
  if (targets.length > 0) lines.push('', `Targets: ${targets.join('; ')}.`);
  if (report.serializers.length > 0) {
    lines.push('', '| Serializer | ops/s | µs/op |', '| --- | --- | --- |');
    for (const result of report.serializers) {
      lines.push(`| ${result.description} | ${integer(result.opsPerSecond)} | ${result.microsecondsPerOp.toFixed(2)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

interface Report {
  date: string;
  machine: ReturnType<typeof machine>;
  loadAverageAtEnd: number[];
  settings: Omit<Settings, 'variants' | 'outDir'>;
  variants: VariantSummary[];
  serializers: SerializerResult[];
}

/** A ratio against a variant that must send the same bytes means nothing when they differ: stop before loading. */
function assertSameBytes(variants: readonly Variant[], answers: ReadonlyMap<string, WireAnswer>): void {
  for (const variant of variants) {
    for (const { variant: other, sameBytes } of variant.compareTo) {
      const [mine, theirs] = [answers.get(variant.name), answers.get(other)];
      if (sameBytes === true && mine !== undefined && theirs !== undefined && mine.wire !== theirs.wire) {
        throw new Error(`${variant.name} and ${other} must answer the same bytes but differ:\n${mine.wire}\n${theirs.wire}`);
      }
    }
  }
}

async function main(): Promise<void> {
  const settings = readSettings();
  const startedAt = new Date();
  const box = machine();
  const servers: RunningServer[] = [];
  try {
    for (const variant of settings.variants) servers.push(await startServer(variant));
    const answers = new Map<string, WireAnswer>();
    for (const server of servers) answers.set(server.variant.name, await check(server));
    assertSameBytes(settings.variants, answers);
    const bodies = new Map([...answers].map(([name, answer]) => [name, answer.bytes]));

    if (settings.warmup > 0) {
      console.log(`warming up ${servers.length} variants, ${settings.warmup} s each…`);
      for (const server of servers) await load(server, settings, settings.warmup);
    }
    const samples = new Map<string, Sample[]>(servers.map((server) => [server.variant.name, []]));
    for (let round = 1; round <= settings.rounds; round++) {
      // Forwards then backwards, so that no variant always runs right after the same one.
      const order = round % 2 === 1 ? servers : [...servers].reverse();
      const line: string[] = [];
      for (const server of order) {
        const sample = await load(server, settings, settings.duration);
        samples.get(server.variant.name)?.push(sample);
        line.push(`${server.variant.name} ${integer(sample.requestsPerSecond)}`);
      }
      console.log(`round ${round}/${settings.rounds}: ${line.join(', ')}`);
    }
    const variants = summarize(servers, samples, bodies);
    await Promise.all(servers.splice(0).map(stopServer));

    let serializers: SerializerResult[] = [];
    if (settings.serializers) {
      console.log('serializer micro-benchmark…');
      serializers = benchmarkSerializers({ milliseconds: settings.serializerMilliseconds, repetitions: 5 });
    }

    const { variants: _selected, outDir, ...shown } = settings;
    const report: Report = {
      date: startedAt.toISOString(),
      machine: box,
      loadAverageAtEnd: os.loadavg().map((value) => Number(value.toFixed(2))),
      settings: shown,
      variants,
      serializers,
    };
    const table = markdown(report);
    mkdirSync(outDir, { recursive: true });
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
    for (const name of [stamp, 'latest']) {
      writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(path.join(outDir, `${name}.md`), table);
    }
    console.log(`\n${table}\nresults: ${path.join(outDir, `${stamp}.json`)} and .md (also latest.json, latest.md)`);
  } finally {
    await Promise.all(servers.map(stopServer));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
