import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { Variant } from './variants';

/** A variant's server in its own process, started by startServer. */
export interface RunningServer {
  variant: Variant;
  child: ChildProcess;
  url: string;
  /** The server process's CPU time so far, in microseconds (user + system). */
  cpuMicroseconds(): Promise<number>;
}

export interface LoadSettings {
  connections: number;
}

type ServerMessage = { port: number } | { cpu: number };

/**
 * With two or more cores and taskset (util-linux), the load generator (this
 * process) keeps core 0 and each server gets core 1: neither steals the
 * other's core, and the scheduler cannot move them about between rounds.
 */
const pinning = canPin();

function canPin(): boolean {
  if (process.platform !== 'linux' || availableParallelism() < 2 || process.env.BENCH_NO_PIN) return false;
  try {
    execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function pinnedCores(): string {
  return pinning ? 'load generator on core 0, server on core 1 (taskset)' : 'not pinned to cores';
}

export function startServer(variant: Variant, extraExecArgv: readonly string[] = []): Promise<RunningServer> {
  return startProcess(variant.name, path.join(__dirname, 'server.ts'), [variant.name], extraExecArgv).then((started) => ({
    variant,
    ...started,
  }));
}

/** A server process that speaks server.ts's IPC (port first, then CPU time on request), on the server core when pinned. */
export type ServerProcess = Omit<RunningServer, 'variant'>;

export function startProcess(
  label: string,
  script: string,
  args: readonly string[],
  extraExecArgv: readonly string[] = [],
): Promise<ServerProcess> {
  const nodeArgs = [...extraExecArgv, '--import', 'tsx'];
  const child = fork(script, [...args], {
    // fork runs `execPath ...execArgv script`, so taskset can stand in front of node.
    ...(pinning ? { execPath: 'taskset', execArgv: ['-c', '1', process.execPath, ...nodeArgs] } : { execArgv: nodeArgs }),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  function cpuMicroseconds(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (message: ServerMessage) => {
        if ('cpu' in message) {
          child.off('message', onMessage);
          resolve(message.cpu);
        }
      };
      child.on('message', onMessage);
      child.send('cpu');
    });
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label}: server did not start within 30 s`)), 30_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${label}: server exited with ${code} before it started`));
    };
    child.once('exit', onExit);
    child.once('message', (message: ServerMessage) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      if ('port' in message) resolve({ child, url: `http://127.0.0.1:${message.port}/`, cpuMicroseconds });
      else reject(new Error(`${label}: unexpected first message ${JSON.stringify(message)}`));
    });
  });
}

/** Ends the server process and waits until it has gone (and written any profile). */
export function stopServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.child.once('exit', () => resolve());
    // The server exits by itself when the channel closes, which lets --cpu-prof write its file.
    server.child.disconnect();
  });
}

/** What a response is on the wire but its ids: status, headers but Date and X-Request-Id, and the body with its trace masked. */
export interface WireAnswer {
  bytes: number;
  contentType: string;
  wire: string;
}

/** One request before any load: the variant must answer what it claims, or its figures mean nothing. */
export async function check({ variant, url }: RunningServer): Promise<WireAnswer> {
  const response = await fetch(url, { headers: { accept: variant.accept } });
  const body = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const wanted = variant.format === 'json' ? /json/ : /xml/;
  if (response.status !== variant.expectedStatus || !wanted.test(contentType)) {
    throw new Error(
      `${variant.name}: expected ${variant.expectedStatus} ${variant.format}, got ${response.status} ${contentType}: ${body.slice(0, 200)}`,
    );
  }
  const headers = [...response.headers].filter(([name]) => name !== 'date' && name !== 'x-request-id');
  const masked = body.replace(/"trace":"[^"]*"/, '"trace":"-"').replace(/<trace>[^<]*<\/trace>/, '<trace>-</trace>');
  return { bytes: Buffer.byteLength(body), contentType, wire: JSON.stringify({ status: response.status, headers, body: masked }, null, 1) };
}

export interface Sample {
  requestsPerSecond: number;
  /** The server's CPU time per response: what the variant costs, whatever else the machine is doing. */
  cpuMicrosecondsPerRequest: number;
  latencyP50: number;
  latencyP99: number;
}

/** Loads one server for `seconds`; any error, timeout or unexpected status fails the run. */
export async function load(server: RunningServer, settings: LoadSettings, seconds: number): Promise<Sample> {
  const cpuBefore = await server.cpuMicroseconds();
  const result = await autocannon({
    url: server.url,
    connections: settings.connections,
    duration: seconds,
    headers: { accept: server.variant.accept },
  });
  const cpuAfter = await server.cpuMicroseconds();
  const unexpected = Object.keys(result.statusCodeStats ?? {}).filter((status) => Number(status) !== server.variant.expectedStatus);
  if (result.errors > 0 || result.timeouts > 0 || unexpected.length > 0 || result.requests.total === 0) {
    throw new Error(
      `${server.variant.name}: ${result.errors} errors, ${result.timeouts} timeouts, statuses ${JSON.stringify(result.statusCodeStats)}`,
    );
  }
  return {
    requestsPerSecond: result.requests.total / result.duration,
    cpuMicrosecondsPerRequest: (cpuAfter - cpuBefore) / result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
  };
}
