/**
 * Soak test: at least a million error responses through the handler under
 * concurrency on loopback, with the server's heap (after a collection) and
 * RSS read between rounds. Memory must stay flat once warmed up.
 *
 *   npm run soak                          # 1,000,000 responses
 *   SOAK_REQUESTS=100000 npm run soak     # a shorter run
 *
 * Only 127.0.0.1; bounded by count and by SOAK_MAX_MINUTES (default 20).
 */
import autocannon from 'autocannon';
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { SoakMessage } from './soak-server';

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 1_000_000);
const ROUNDS = 10;
/** Enough for the JIT and caches to settle before the first reading that counts. */
const WARM_UP = Math.min(50_000, Math.ceil(TOTAL / 10));
const CONNECTIONS = 32;
const MAX_MINUTES = Number(process.env.SOAK_MAX_MINUTES ?? 20);
/** Heap growth after warm-up that still counts as flat. */
const FLAT_HEAP_BYTES = 5 * 1024 * 1024;
const FLAT_RSS_BYTES = 32 * 1024 * 1024;

/** Every kind of error the server answers, in turn on every connection. */
const REQUESTS: autocannon.Request[] = [
  { method: 'GET', path: '/registry' },
  { method: 'GET', path: '/registry', headers: { accept: 'application/xml' } },
  { method: 'GET', path: '/crash', headers: { 'x-request-id': 'soak-1' } },
  { method: 'GET', path: '/missing', headers: { accept: 'text/xml' } },
  { method: 'GET', path: '/retry' },
  { method: 'GET', path: '/long', headers: { accept: 'application/xml' } },
  { method: 'POST', path: '/json', headers: { 'content-type': 'application/json' }, body: '{"broken":' },
  { method: 'GET', path: '/nowhere' },
];

type Memory = Extract<SoakMessage, { type: 'memory' }>;

interface Row {
  label: string;
  requests: number;
  perSecond: number;
  memory: Memory;
}

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(__dirname, 'soak-server.ts'), [], { execArgv: ['--expose-gc', '--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`soak server exited with ${code}`)));
    child.on('message', (message: SoakMessage) => {
      if (message.type === 'ready') resolve({ child, port: message.port });
    });
  });
}

function readMemory(child: ChildProcess): Promise<Memory> {
  return new Promise((resolve) => {
    const onMessage = (message: SoakMessage) => {
      if (message.type !== 'memory') return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send('memory');
  });
}

async function round(port: number, amount: number): Promise<{ result: autocannon.Result; perSecond: number }> {
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    amount,
    timeout: 10,
    requests: REQUESTS,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const answered = result['2xx'] + result.non2xx;
  if (result.errors > 0 || result.timeouts > 0) throw new Error(`${result.errors} connection errors, ${result.timeouts} timeouts`);
  if (result['2xx'] > 0) throw new Error(`${result['2xx']} responses were not errors`);
  return { result, perSecond: answered / seconds };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function print(rows: Row[]): void {
  console.log('\nround        responses   req/s    heap used   RSS        handled');
  for (const row of rows) {
    console.log(
      [
        row.label.padEnd(12),
        String(row.requests).padStart(9),
        String(Math.round(row.perSecond)).padStart(7),
        mib(row.memory.heapUsed).padStart(11),
        mib(row.memory.rss).padStart(10),
        String(row.memory.handled).padStart(10),
      ].join(' '),
    );
  }
}

async function main(): Promise<void> {
  if (!Number.isSafeInteger(TOTAL) || TOTAL < ROUNDS * CONNECTIONS)
    throw new Error(`SOAK_REQUESTS must be at least ${ROUNDS * CONNECTIONS}`);
  const deadline = Date.now() + MAX_MINUTES * 60_000;
  const { child, port } = await startServer();
  const rows: Row[] = [];
  const statuses = new Map<string, number>();
  try {
    rows.push({ label: 'start', requests: 0, perSecond: 0, memory: await readMemory(child) });
    const warmUp = await round(port, WARM_UP);
    rows.push({ label: 'warm-up', requests: WARM_UP, perSecond: warmUp.perSecond, memory: await readMemory(child) });
    let measured = 0;
    for (let index = 1; index <= ROUNDS; index += 1) {
      if (Date.now() > deadline) throw new Error(`stopped at the ${MAX_MINUTES}-minute limit after ${measured} responses`);
      const amount = Math.ceil(TOTAL / ROUNDS);
      const { result, perSecond } = await round(port, amount);
      measured += result.non2xx;
      for (const [status, { count = 0 } = {}] of Object.entries(result.statusCodeStats ?? {})) {
        statuses.set(status, (statuses.get(status) ?? 0) + Number(count));
      }
      rows.push({ label: `round ${index}`, requests: measured, perSecond, memory: await readMemory(child) });
      process.stdout.write(`round ${index}/${ROUNDS}: ${measured} responses, ${Math.round(perSecond)} req/s\n`);
    }
  } finally {
    child.send('stop');
  }

  print(rows);
  const start = rows[0] as Row;
  const warm = rows[1] as Row;
  const end = rows[rows.length - 1] as Row;
  const measured = end.requests;
  const heapGrowth = end.memory.heapUsed - warm.memory.heapUsed;
  const rssGrowth = end.memory.rss - warm.memory.rss;
  const peakHeap = Math.max(...rows.slice(1).map((row) => row.memory.heapUsed));
  const rates = rows.slice(2).map((row) => row.perSecond);
  console.log(`\nstatus codes: ${[...statuses].map(([status, count]) => `${status}×${count}`).join(', ')}`);
  console.log(`responses measured: ${measured} (+${WARM_UP} warm-up); handled by onError: ${end.memory.handled}`);
  console.log(`req/s per round: min ${Math.round(Math.min(...rates))}, max ${Math.round(Math.max(...rates))}`);
  console.log(
    `heap used: start ${mib(start.memory.heapUsed)}, after warm-up ${mib(warm.memory.heapUsed)}, end ${mib(end.memory.heapUsed)} (peak ${mib(peakHeap)})`,
  );
  console.log(`RSS: start ${mib(start.memory.rss)}, after warm-up ${mib(warm.memory.rss)}, end ${mib(end.memory.rss)}`);
  const everyResponseHandled = end.memory.handled === measured + WARM_UP;
  const flat = heapGrowth < FLAT_HEAP_BYTES && rssGrowth < FLAT_RSS_BYTES;
  console.log(
    `verdict: ${flat ? 'FLAT' : 'GROWING'} — heap ${heapGrowth >= 0 ? '+' : ''}${mib(heapGrowth)} and RSS ${rssGrowth >= 0 ? '+' : ''}${mib(rssGrowth)} ` +
      `over ${measured} responses after warm-up (flat: heap < ${mib(FLAT_HEAP_BYTES)}, RSS < ${mib(FLAT_RSS_BYTES)})` +
      (everyResponseHandled ? '' : `; ${measured + WARM_UP - end.memory.handled} responses missed onError`),
  );
  if (!flat || !everyResponseHandled) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
