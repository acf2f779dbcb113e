import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { pinnedCores, type ServerProcess, startProcess, stopServer } from './harness';
import { pacedLoad } from './paced-load';
import { overloadPlotSvg } from './overload-plot';
import { BURN_MILLISECONDS, type OverloadServerName, SHEDDING } from './overload-server';
import { median } from './stats';

/**
 * `npm run bench:overload` (also the second half of `npm run bench`):
 * 1. a route burning ~2 ms of CPU, driven at multiples of what it serves here,
 *    without and with load shedding: admitted requests' p50/p99, shed/s;
 * 2. the shed path's requests/s against a bare node:http server answering a
 *    constant 503, in alternating rounds, as paired ratios;
 * 3. the server CPU per item of an item response (10, 100, 1,000 items) and
 *    per error of an AggregateError (1, 10, 100), JSON and XML.
 * Writes bench/results/overload-<date>.{json,md}, overload-latest.* and the
 * plot's SVG; docs/overload-p99.png is that SVG rasterized (see docs/overload.md).
 */

interface Settings {
  /** Seconds per load of the overload curve. */
  curveSeconds: number;
  /** Offered load, as multiples of the measured capacity. */
  multiples: number[];
  /** Most keep-alive connections of the curve's paced load; requests due while all are busy wait for one. */
  curveConnections: number;
  throughputSeconds: number;
  rounds: number;
  connections: number;
  costSeconds: number;
  /** Which measurements to run; the others are left out of the report. */
  parts: Part[];
  outDir: string;
}

const PARTS = ['curve', 'throughput', 'cost'] as const;
type Part = (typeof PARTS)[number];

const HELP = `Usage: npm run bench:overload -- [options]   (each option also reads from the environment)
  --curve-seconds=S      seconds per point of the p99 curve      OVERLOAD_CURVE_SECONDS   default 3
  --multiples=a,b,...    offered load, × capacity                OVERLOAD_MULTIPLES       default 0.5,1,1.5,2,3
  --curve-connections=N  most connections offering the load      OVERLOAD_CURVE_CONNECTIONS default 256
  --throughput-seconds=S per variant per round, shed vs bare     OVERLOAD_THROUGHPUT_SECONDS default 2
  --rounds=N             alternating rounds, shed vs bare        OVERLOAD_ROUNDS          default 5
  --connections=N        connections of the closed-loop loads    OVERLOAD_CONNECTIONS     default 10
  --cost-seconds=S       per item/aggregate size per round (×3)  OVERLOAD_COST_SECONDS    default 1
  --parts=a,b            curve, throughput, cost                 OVERLOAD_PARTS           default all three
  --out=DIR              where results go                        BENCH_OUT                default bench/results`;

function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      'curve-seconds': { type: 'string' },
      multiples: { type: 'string' },
      'curve-connections': { type: 'string' },
      'throughput-seconds': { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      'cost-seconds': { type: 'string' },
      parts: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const env = process.env;
  const multiples = (values.multiples ?? env.OVERLOAD_MULTIPLES ?? '0.5,1,1.5,2,3').split(',').map((raw) => positive('multiples', raw, 1));
  return {
    curveSeconds: positive('curve-seconds', values['curve-seconds'] ?? env.OVERLOAD_CURVE_SECONDS, 3),
    multiples,
    curveConnections: positive('curve-connections', values['curve-connections'] ?? env.OVERLOAD_CURVE_CONNECTIONS, 256, true),
    throughputSeconds: positive('throughput-seconds', values['throughput-seconds'] ?? env.OVERLOAD_THROUGHPUT_SECONDS, 2),
    rounds: positive('rounds', values.rounds ?? env.OVERLOAD_ROUNDS, 5, true),
    connections: positive('connections', values.connections ?? env.OVERLOAD_CONNECTIONS, 10, true),
    costSeconds: positive('cost-seconds', values['cost-seconds'] ?? env.OVERLOAD_COST_SECONDS, 1),
    parts: readParts(values.parts ?? env.OVERLOAD_PARTS),
    outDir: path.resolve(values.out ?? env.BENCH_OUT ?? path.join(__dirname, 'results')),
  };
}

function readParts(raw: string | undefined): Part[] {
  if (raw === undefined || raw === '') return [...PARTS];
  const parts = raw.split(',');
  const unknown = parts.filter((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown.length > 0) {
    console.error(`bench:overload: --parts takes ${PARTS.join(', ')}; got ${JSON.stringify(raw)}\n\n${HELP}`);
    process.exit(2);
  }
  return PARTS.filter((part) => parts.includes(part));
}

function positive(name: string, raw: string | undefined, fallback: number, integer = false): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    console.error(
      `bench:overload: --${name} must be a ${integer ? 'positive integer' : 'positive number'}, got ${JSON.stringify(raw)}\n\n${HELP}`,
    );
    process.exit(2);
  }
  return value;
}

interface LoadResult {
  seconds: number;
  /** Responses per second by status. */
  perSecond: Record<string, number>;
  /** Latency percentiles (ms, as measured by the client, per response) by status. */
  latency: Record<string, { p50: number; p99: number }>;
  cpuMicrosecondsPerResponse: number;
  errors: number;
}

interface LoadOptions {
  path?: string;
  accept?: string;
  connections: number;
  seconds: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

/** One closed-loop load; latencies are kept per status, since shed and admitted responses are different populations. */
async function load(server: ServerProcess, options: LoadOptions): Promise<LoadResult> {
  const latencies = new Map<number, number[]>();
  const cpuBefore = await server.cpuMicroseconds();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: new URL(options.path ?? '/', server.url).href,
        connections: options.connections,
        duration: options.seconds,
        headers: { accept: options.accept ?? 'application/json' },
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, status, _bytes, milliseconds) => {
      let list = latencies.get(status);
      if (list === undefined) latencies.set(status, (list = []));
      list.push(milliseconds);
    });
  });
  const cpuAfter = await server.cpuMicroseconds();
  const responses = [...latencies.values()].reduce((sum, list) => sum + list.length, 0);
  const perSecond: Record<string, number> = {};
  const latency: Record<string, { p50: number; p99: number }> = {};
  for (const [status, list] of latencies) {
    list.sort((a, b) => a - b);
    perSecond[status] = list.length / result.duration;
    latency[status] = { p50: percentile(list, 0.5), p99: percentile(list, 0.99) };
  }
  return {
    seconds: result.duration,
    perSecond,
    latency,
    cpuMicrosecondsPerResponse: (cpuAfter - cpuBefore) / Math.max(1, responses),
    errors: result.errors + result.timeouts,
  };
}

function start(name: OverloadServerName): Promise<ServerProcess> {
  return startProcess(name, path.join(__dirname, 'overload-server.ts'), [name]);
}

export interface CurvePoint {
  multiple: number;
  offered: number;
  shedding: boolean;
  admittedPerSecond: number;
  shedPerSecond: number;
  admittedP50: number;
  admittedP99: number;
  errors: number;
}

interface ThroughputRow {
  name: string;
  description: string;
  medianRequestsPerSecond: number;
  medianCpuMicrosecondsPerRequest: number;
  samples: number[];
  ratioToBare: number | null;
  /** Median of per-round bare CPU µs/req ÷ own: the same comparison by CPU cost, which a busy machine disturbs far less. */
  cpuRatioToBare: number | null;
}

interface CostRow {
  /** `built`: the items of `items` built by the route and not sent, its own share of each item response. */
  kind: 'items' | 'built' | 'aggregate';
  format: 'json' | 'xml';
  count: number;
  medianCpuMicrosecondsPerResponse: number;
  microsecondsPerUnit: number;
  /** The extra CPU per item (or error) from the previous size to this one. */
  marginalMicrosecondsPerUnit: number | null;
  /** For item responses: the marginal less that of building the same items (`built`), what answering costs per item. */
  marginalLessBuildingMicrosecondsPerUnit?: number | null;
}

export interface OverloadReport {
  date: string;
  machine: { cpu: string; cores: number; node: string; loadAverage: number[] };
  loadAverageAtEnd: number[];
  settings: Omit<Settings, 'outDir'>;
  burnMilliseconds: number;
  shedding: typeof SHEDDING;
  capacity: number;
  curve: CurvePoint[];
  throughput: ThroughputRow[];
  cost: CostRow[];
}

const THROUGHPUT_SERVERS: { name: OverloadServerName; description: string }[] = [
  { name: 'bare-503', description: 'node:http, constant 503 body and headers (the baseline)' },
  { name: 'shed-wrapped', description: 'loadShedding().wrap(app): shed before Express' },
  { name: 'shed-express', description: 'loadShedding() mounted first in Express 5' },
];

const SHED_TARGET = 0.8;
const COST_SIZES = { items: [10, 100, 1000], built: [10, 100, 1000], aggregate: [1, 10, 100] } as const;

async function measureCurve(settings: Settings, capacity: number): Promise<CurvePoint[]> {
  const points: CurvePoint[] = [];
  for (const shedding of [false, true]) {
    const server = await start(shedding ? 'cpu-shed' : 'cpu');
    try {
      await load(server, { connections: settings.connections, seconds: 1 });
      for (const multiple of settings.multiples) {
        const offered = capacity * multiple;
        const result = await pacedLoad({
          url: server.url,
          rate: offered,
          seconds: settings.curveSeconds,
          headers: { accept: 'application/json' },
          maxConnections: settings.curveConnections,
        });
        const admitted = result.latencies.get(200) ?? [];
        const point: CurvePoint = {
          multiple,
          offered,
          shedding,
          admittedPerSecond: admitted.length / result.seconds,
          shedPerSecond: (result.latencies.get(503)?.length ?? 0) / result.seconds,
          admittedP50: percentile(admitted, 0.5),
          admittedP99: percentile(admitted, 0.99),
          errors: result.errors,
        };
        points.push(point);
        console.log(
          `${shedding ? 'with shedding   ' : 'without shedding'} ${multiple}× (${integer(offered)}/s offered): ` +
            `${integer(point.admittedPerSecond)} admitted/s, p50 ${fixed(point.admittedP50, 0)} ms, p99 ${fixed(point.admittedP99, 0)} ms; ` +
            `${integer(point.shedPerSecond)} shed/s, ${point.errors} errors`,
        );
        // Let the previous point's queue drain and the monitor settle before the next one.
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await stopServer(server);
    }
  }
  return points;
}

async function measureThroughput(settings: Settings): Promise<ThroughputRow[]> {
  const servers: ServerProcess[] = [];
  try {
    for (const { name } of THROUGHPUT_SERVERS) servers.push(await start(name));
    for (const server of servers) await load(server, { connections: settings.connections, seconds: 1 });
    const samples = servers.map(() => [] as LoadResult[]);
    for (let round = 1; round <= settings.rounds; round++) {
      const order = servers.map((_, index) => index);
      if (round % 2 === 0) order.reverse();
      for (const index of order) {
        const server = servers[index] as ServerProcess;
        const result = await load(server, { connections: settings.connections, seconds: settings.throughputSeconds });
        if (result.errors > 0 || Object.keys(result.perSecond).some((status) => status !== '503')) {
          throw new Error(
            `${THROUGHPUT_SERVERS[index]?.name}: expected only 503s, got ${JSON.stringify(result.perSecond)} and ${result.errors} errors`,
          );
        }
        samples[index]?.push(result);
      }
      console.log(
        `shed throughput round ${round}/${settings.rounds}: ${servers.map((_, index) => `${THROUGHPUT_SERVERS[index]?.name} ${integer(samples[index]?.at(-1)?.perSecond['503'] ?? 0)}`).join(', ')}`,
      );
    }
    const rate = (result: LoadResult) => result.perSecond['503'] ?? 0;
    const bare = samples[0] ?? [];
    return THROUGHPUT_SERVERS.map(({ name, description }, index) => {
      const own = samples[index] ?? [];
      return {
        name,
        description,
        medianRequestsPerSecond: median(own.map(rate)),
        medianCpuMicrosecondsPerRequest: median(own.map((result) => result.cpuMicrosecondsPerResponse)),
        samples: own.map(rate),
        // Paired by round, as in bench/run.ts: drift between rounds cancels out.
        ratioToBare: index === 0 ? null : median(own.map((result, round) => rate(result) / rate(bare[round] as LoadResult))),
        cpuRatioToBare:
          index === 0
            ? null
            : median(
                own.map((result, round) => (bare[round] as LoadResult).cpuMicrosecondsPerResponse / result.cpuMicrosecondsPerResponse),
              ),
      };
    });
  } finally {
    await Promise.all(servers.map(stopServer));
  }
}

async function measureCost(settings: Settings): Promise<CostRow[]> {
  const server = await start('cost');
  try {
    const cases = (['items', 'built', 'aggregate'] as const).flatMap((kind) =>
      // Building the items does not depend on the format: measured once.
      (kind === 'built' ? (['json'] as const) : (['json', 'xml'] as const)).flatMap((format) =>
        COST_SIZES[kind].map((count) => ({ kind, format, count })),
      ),
    );
    const request = ({ kind, count, format }: (typeof cases)[number]) => ({
      path: `/${kind}?n=${count}`,
      accept: format === 'json' ? 'application/json' : 'application/xml',
      connections: settings.connections,
    });
    for (const each of cases) await load(server, { ...request(each), seconds: 0.3 });
    const cpu = cases.map(() => [] as number[]);
    for (let round = 1; round <= 3; round++) {
      const order = cases.map((_, index) => index);
      if (round % 2 === 0) order.reverse();
      for (const index of order) {
        const result = await load(server, { ...request(cases[index] as (typeof cases)[number]), seconds: settings.costSeconds });
        if (result.errors > 0) throw new Error(`cost: ${result.errors} errors`);
        cpu[index]?.push(result.cpuMicrosecondsPerResponse);
      }
      console.log(`cost round ${round}/3`);
    }
    const rows: CostRow[] = cases.map((each, index) => {
      const own = median(cpu[index] ?? []);
      const previous =
        index > 0 && cases[index - 1]?.kind === each.kind && cases[index - 1]?.format === each.format ? cases[index - 1] : undefined;
      const previousCpu = previous === undefined ? undefined : median(cpu[index - 1] ?? []);
      return {
        ...each,
        medianCpuMicrosecondsPerResponse: own,
        microsecondsPerUnit: own / each.count,
        marginalMicrosecondsPerUnit:
          previous === undefined || previousCpu === undefined ? null : (own - previousCpu) / (each.count - previous.count),
      };
    });
    return rows.map((row) => {
      if (row.kind !== 'items') return row;
      const building = rows.find((other) => other.kind === 'built' && other.count === row.count)?.marginalMicrosecondsPerUnit;
      const marginal = row.marginalMicrosecondsPerUnit;
      return { ...row, marginalLessBuildingMicrosecondsPerUnit: marginal === null || building == null ? null : marginal - building };
    });
  } finally {
    await stopServer(server);
  }
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number | null, digits = 1) => (value === null || !Number.isFinite(value) ? '–' : value.toFixed(digits));

export function overloadMarkdown(report: OverloadReport): string {
  const { machine } = report;
  const lines = [
    `Overload benchmark, ${report.date}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; ${pinnedCores()}; ` +
      `load average at start ${machine.loadAverage.join(' ')}, at end ${report.loadAverageAtEnd.join(' ')}.`,
    ...(report.curve.length === 0 ? [] : curveTable(report)),
    ...(report.throughput.length === 0 ? [] : throughputTable(report)),
    ...(report.cost.length === 0 ? [] : costTable(report)),
  ];
  return `${lines.join('\n')}\n`;
}

function curveTable(report: OverloadReport): string[] {
  const { settings } = report;
  return [
    '',
    `Route burning ${report.burnMilliseconds} ms of CPU; capacity measured in this run: ${integer(report.capacity)} req/s ` +
      `(${settings.connections} connections, closed loop). Offered load at a constant rate (bench/paced-load.ts: open loop, up to ${settings.curveConnections} keep-alive connections, ` +
      `latency counted from when each request was due, ${settings.curveSeconds} s per point). Shedding: maxEventLoopDelay ${report.shedding.maxEventLoopDelay} ms, sampleInterval ${report.shedding.sampleInterval} ms. ` +
      'Latency per response as the client saw it, admitted (200) responses only.',
    '',
    '| Offered | Shedding | Admitted/s | Admitted p50 | Admitted p99 | Shed (503)/s |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.curve.map(
      (point) =>
        `| ${point.multiple}× (${integer(point.offered)}/s) | ${point.shedding ? 'on' : 'off'} | ${integer(point.admittedPerSecond)} | ` +
        `${fixed(point.admittedP50, 0)} ms | ${fixed(point.admittedP99, 0)} ms | ${integer(point.shedPerSecond)} |`,
    ),
  ];
}

function throughputTable({ settings, throughput }: OverloadReport): string[] {
  return [
    '',
    `Shed path against a bare node:http 503 (${settings.connections} connections, closed loop, ${settings.rounds} alternating rounds × ${settings.throughputSeconds} s):`,
    '',
    '| Server | Median 503/s | Server CPU µs/req | Median of per-round req/s ratios to bare | Same by CPU: bare µs/req ÷ own |',
    '| --- | --- | --- | --- | --- |',
    ...throughput.map(
      (row) =>
        `| ${row.name}: ${row.description} | ${integer(row.medianRequestsPerSecond)} | ${fixed(row.medianCpuMicrosecondsPerRequest)} | ` +
        `${row.ratioToBare === null ? 'baseline' : `${row.ratioToBare.toFixed(2)}× (target ≥ ${SHED_TARGET}: ${row.ratioToBare >= SHED_TARGET ? 'met' : 'NOT met'})`} | ` +
        `${row.cpuRatioToBare === null ? 'baseline' : `${row.cpuRatioToBare.toFixed(2)}×`} |`,
    ),
  ];
}

const COST_KIND_LABELS: Record<CostRow['kind'], string> = {
  items: 'sendItems',
  built: 'baseline: the items built, not sent',
  aggregate: 'AggregateError',
};

function costTable({ settings, cost }: OverloadReport): string[] {
  return [
    '',
    `Cost of item responses and AggregateErrors: server CPU per response (median of 3 rounds × ${settings.costSeconds} s), per item/error, and the extra per item/error from the previous size; ` +
      "for sendItems also that extra less the route's own for building the same items (the baseline, measured in the same run: the items built, then a 204):",
    '',
    '| Response | Format | Items/errors | CPU µs/response | µs per item/error | Marginal µs per item/error | Marginal less building the items |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...cost.map(
      (row) =>
        `| ${COST_KIND_LABELS[row.kind]} | ${row.kind === 'built' ? '–' : row.format.toUpperCase()} | ${integer(row.count)} | ${fixed(row.medianCpuMicrosecondsPerResponse)} | ` +
        `${fixed(row.microsecondsPerUnit, 2)} | ${fixed(row.marginalMicrosecondsPerUnit, 2)} | ${fixed(row.marginalLessBuildingMicrosecondsPerUnit ?? null, 2)} |`,
    ),
  ];
}

async function main(): Promise<void> {
  const settings = readSettings();
  const startedAt = new Date();
  const loadAverage = os.loadavg().map((value) => Number(value.toFixed(2)));

  const runs = (part: Part) => settings.parts.includes(part);
  let capacity = 0;
  if (runs('curve')) {
    const cpu = await start('cpu');
    try {
      await load(cpu, { connections: settings.connections, seconds: 1 });
      const result = await load(cpu, { connections: settings.connections, seconds: 3 });
      capacity = result.perSecond['200'] ?? 0;
      if (capacity === 0) throw new Error('the CPU route answered nothing');
      console.log(`capacity of the ${BURN_MILLISECONDS} ms route: ${integer(capacity)} req/s`);
    } finally {
      await stopServer(cpu);
    }
  }
  const curve = runs('curve') ? await measureCurve(settings, capacity) : [];
  const throughput = runs('throughput') ? await measureThroughput(settings) : [];
  if (runs('cost')) console.log('item and AggregateError cost…');
  const cost = runs('cost') ? await measureCost(settings) : [];

  const { outDir, ...shown } = settings;
  const report: OverloadReport = {
    date: startedAt.toISOString(),
    machine: { cpu: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.cpus().length, node: process.version, loadAverage },
    loadAverageAtEnd: os.loadavg().map((value) => Number(value.toFixed(2))),
    settings: shown,
    burnMilliseconds: BURN_MILLISECONDS,
    shedding: SHEDDING,
    capacity,
    curve,
    throughput,
    cost,
  };
  const table = overloadMarkdown(report);
  mkdirSync(outDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  for (const name of [`overload-${stamp}`, 'overload-latest']) {
    writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(path.join(outDir, `${name}.md`), table);
    writeFileSync(path.join(outDir, `${name}-p99.svg`), overloadPlotSvg(report));
  }
  console.log(`\n${table}\nresults: ${path.join(outDir, `overload-${stamp}.json`)}, .md and -p99.svg (also overload-latest.*)`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
