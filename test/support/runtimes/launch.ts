import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { serveOnLoopback } from '../loopback';

/** A server under test on a loopback port, and how to stop it. */
export interface RunningTarget {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  stop(): Promise<void>;
}

/** A runtime that does not answer by then has failed to start. */
const START_TIMEOUT_MS = 10_000;
/** A child still running this long after SIGTERM is killed. */
const STOP_TIMEOUT_MS = 3_000;

const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/**
 * Bun's binary from the npm package: its postinstall moves the platform
 * package's binary to bun/bin/bun.exe (a small stub when scripts did not run).
 */
export function bunBinary(): string {
  const candidates = [join(packageDir('bun'), 'bin', 'bun.exe'), join(packageDir('bun'), '..', '@oven', 'bun-linux-x64', 'bin', 'bun')];
  const found = candidates.find((path) => existsSync(path) && statSync(path).size > 1_000_000);
  if (found === undefined) {
    throw new Error(`Bun is missing: none of ${candidates.join(', ')} is the binary (install the bun dev dependency on linux-x64)`);
  }
  return found;
}

/** Deno's binary from its platform package. */
export function denoBinary(): string {
  const path = join(dirname(require.resolve('deno/package.json')), '..', '@deno', 'linux-x64-glibc', 'deno');
  if (!existsSync(path)) throw new Error(`Deno is missing: ${path} does not exist (install the deno dev dependency on linux-x64)`);
  return path;
}

const SERVE_SCRIPT = join(__dirname, 'serve.mjs');

/** Children still running, killed if the test process exits without stopping them. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts a child that prints `{"port":N}` on its first line once it listens. */
function launchChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningTarget> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));

  async function stop(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  }

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop();
      reject(new Error(`${name} did not start: ${why}${stderr === '' ? '' : `\n${stderr}`}`));
    };
    const timer = setTimeout(() => fail(`no port within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before listening`));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const port = /^\{"port":(\d+)\}$/.exec(line)?.[1];
      if (port === undefined) return fail(`printed ${JSON.stringify(line)} instead of {"port":N}`);
      settled = true;
      clearTimeout(timer);
      resolve({ origin: `http://127.0.0.1:${port}`, stop });
    });
  });
}

/** The Workers-style module (`export default { fetch }`) served by `Bun.serve`. */
export function launchBun(modulePath: string): Promise<RunningTarget> {
  return launchChild('Bun', bunBinary(), [SERVE_SCRIPT, pathToFileURL(modulePath).href]);
}

/**
 * The Workers-style module served by `Deno.serve`, allowed the loopback
 * network, reading files (the module is imported) and the environment
 * variables named in `allowEnv`, nothing else. Its cache goes to a temporary
 * DENO_DIR, removed on stop.
 */
export async function launchDeno(modulePath: string, allowEnv: readonly string[] = []): Promise<RunningTarget> {
  const denoDir = mkdtempSync(join(tmpdir(), 'eee-deno-'));
  const permissions = ['--allow-net=127.0.0.1', '--allow-read', ...(allowEnv.length > 0 ? [`--allow-env=${allowEnv.join(',')}`] : [])];
  const args = ['run', '--quiet', '--no-lock', ...permissions, SERVE_SCRIPT, pathToFileURL(modulePath).href];
  try {
    const target = await launchChild('Deno', denoBinary(), args, { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1' });
    return {
      origin: target.origin,
      stop: async () => {
        await target.stop();
        rmSync(denoDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(denoDir, { recursive: true, force: true });
    throw error;
  }
}

/** A Workers module: its source (ESM, nothing left to import but what workerd gives) and the compatibility flags it needs. */
export interface WorkerModule {
  script: string;
  compatibilityFlags?: string[];
}

/**
 * The module served by workerd, through miniflare in this process. The
 * module may still be on its way (being bundled): miniflare loads meanwhile.
 */
export async function launchWorkerd(worker: WorkerModule | Promise<WorkerModule>): Promise<RunningTarget> {
  const { Miniflare } = await import('miniflare');
  const { script, compatibilityFlags = [] } = await worker;
  const mf = new Miniflare({
    // Given as its one module, not as `script`: miniflare would parse the source to look for imports (seconds for a large bundle).
    modules: [{ type: 'ESModule', path: 'worker.mjs', contents: script }],
    host: '127.0.0.1',
    port: 0,
    compatibilityDate: '2026-04-01',
    compatibilityFlags,
  });
  try {
    const url = await mf.ready;
    return { origin: url.origin, stop: () => mf.dispose() };
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw new Error(`workerd did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A fetch function served by @hono/node-server in this process. */
export async function launchNodeServer(fetch: (request: Request) => Response | Promise<Response>): Promise<RunningTarget> {
  const { serve } = await import('@hono/node-server');
  return new Promise((resolve) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        stop: () =>
          new Promise<void>((done, failed) => {
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close((error) => (error ? failed(error) : done()));
          }),
      });
    });
  });
}

/** A node:http listener (an Express app) in this process. */
export async function launchNodeHttp(listener: RequestListener): Promise<RunningTarget> {
  const { url, close } = await serveOnLoopback(listener);
  return { origin: url, stop: close };
}
