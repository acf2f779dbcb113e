/**
 * One table of cases replayed against every target: Express 5 (the
 * reference), Express 4, a bare node:http server, Hono on Node, and the same
 * bundle of the Fetch app on Bun, Deno and workerd (and called in this
 * process with a Request, no socket). Status, headers (but Date and the
 * transport's own) and body must be the same, byte for byte.
 */
import { join } from 'node:path';
import express5 from 'express';
import express4 from 'express4';
import { type AppBundle, bundleForFetchRuntimes } from '../support/conformance/bundle';
import { type ConformanceCase, conformanceCases } from '../support/conformance/cases';
import { differences, type Observed, observe, observeResponse } from '../support/conformance/compare';
import fetchApp from '../support/conformance/fetch-app';
import { honoConformanceApp } from '../support/conformance/hono-app';
import { expressConformanceApp, nodeHttpConformanceListener } from '../support/conformance/node-apps';
import type { ExpressFactory } from '../support/apps';
import { keepAliveClient } from '../support/http-client';
import { launchBun, launchDeno, launchNodeHttp, launchNodeServer, launchWorkerd, type RunningTarget } from '../support/runtimes/launch';

/** Requests in flight per target. */
const CONCURRENCY = 16;

const cases = conformanceCases();
const REFERENCE = 'express 5';

interface Running {
  send(each: ConformanceCase): Promise<Observed>;
  stop(): Promise<void>;
}
interface Target {
  name: string;
  start(): Promise<Running>;
}

let bundle: AppBundle;
/** The bundle being built: the targets that need no bundle start meanwhile. */
let bundling: Promise<AppBundle>;
const stops: (() => Promise<void>)[] = [];
const observed = new Map<string, Observed[]>();
/** Per target, the cases answered without a Content-Length. */
const withoutContentLength = new Map<string, number>();
const passed = new Map<string, number>();
let wallStart = 0;
interface Timing {
  startedMs: number;
  answeredMs?: number;
}
const timings = new Map<string, Timing>();

/** A target over HTTP; `prefix` is put before each case's path (the Hono routes of the Fetch app bundle). */
function overHttp(name: string, launch: () => Promise<RunningTarget>, prefix = ''): Target {
  return {
    name,
    async start() {
      const target = await launch();
      const client = keepAliveClient(target.origin, CONCURRENCY);
      return {
        send: async ({ path, headers }) => {
          const response = await client.send({ path: prefix + path, headers });
          if (response.headers['content-length'] === undefined) withoutContentLength.set(name, (withoutContentLength.get(name) ?? 0) + 1);
          return observe(response);
        },
        stop: async () => {
          client.close();
          await target.stop();
        },
      };
    },
  };
}

const expressTarget = (name: string, express: ExpressFactory) => overHttp(name, () => launchNodeHttp(expressConformanceApp(express)));

const targets: Target[] = [
  expressTarget(REFERENCE, express5),
  expressTarget('express 4', express4 as unknown as ExpressFactory),
  overHttp('node:http', () => launchNodeHttp(nodeHttpConformanceListener())),
  overHttp('hono (node)', () => launchNodeServer(honoConformanceApp().fetch)),
  overHttp('bun', async () => launchBun((await bundling).path)),
  overHttp('deno', async () => launchDeno((await bundling).path)),
  // No compatibility flag: the bundle must run on workerd as it is.
  overHttp('workerd', () => launchWorkerd(bundling.then(({ code }) => ({ script: code, compatibilityFlags: [] })))),
  overHttp('hono (workerd)', () => launchWorkerd(bundling.then(({ code }) => ({ script: code, compatibilityFlags: [] }))), '/hono'),
  {
    name: 'fetch (node, no socket)',
    start: async () => ({
      send: async ({ path, headers }) => observeResponse(await fetchApp.fetch(new Request(`http://127.0.0.1${path}`, { headers }))),
      stop: async () => {},
    }),
  },
];

async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

beforeAll(async () => {
  wallStart = performance.now();
  bundling = bundleForFetchRuntimes(join(__dirname, '..', 'support', 'conformance', 'fetch-app.ts'));
  // Each target is asked as soon as it listens: the in-process ones answer while the runtimes start.
  const runs = await Promise.allSettled(
    targets.map(async ({ name, start }) => {
      const running = await start();
      stops.push(running.stop);
      const timing: Timing = { startedMs: performance.now() - wallStart };
      timings.set(name, timing);
      observed.set(name, await inPool(cases, CONCURRENCY, running.send));
      timing.answeredMs = performance.now() - wallStart;
    }),
  );
  bundle = await bundling;
  const failed = runs.flatMap((run, index) => (run.status === 'rejected' ? [`${targets[index]?.name}: ${String(run.reason)}`] : []));
  if (failed.length > 0) throw new Error(`targets that failed:\n${failed.join('\n')}`);
}, 30_000);

afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
  bundle?.remove();
  const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const rows = targets.map(({ name }) => {
    const missing = withoutContentLength.get(name);
    const { startedMs, answeredMs } = timings.get(name) ?? {};
    return [
      name.padEnd(24),
      `${String(passed.get(name) ?? 0).padStart(4)}/${cases.length}`,
      `listening at ${seconds(startedMs)}, all answered at ${seconds(answeredMs)}`,
      name === REFERENCE ? '(reference)' : '',
      missing === undefined ? '' : `no Content-Length on ${missing}`,
    ].join('  ');
  });
  const size = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(
    [
      `conformance: ${cases.length} cases × ${targets.length} targets, ${seconds(performance.now() - wallStart)} from the start of the bundle to the last stop`,
      bundle === undefined ? '' : `fetch app bundle: ${size(bundle.code.length)} minified, ${size(bundle.gzipBytes)} gzipped`,
      ...rows,
    ].join('\n'),
  );
}, 15_000);

describe('the Fetch app bundle', () => {
  it('imports no Node module and reads no environment variable: it runs on workerd without nodejs_compat and on Deno without --allow-env', () => {
    expect(bundle.imports).toEqual([]);
    expect(bundle.code).not.toMatch(/process\.env/);
  });
});

describe('conformance with Express 5', () => {
  it('the reference answers every case with the error handler', () => {
    const reference = observed.get(REFERENCE) as Observed[];
    const notAnswered = cases.filter((_, index) => reference[index]?.headers.get('x-content-type-options') !== 'nosniff');
    expect(notAnswered.map(({ id }) => id)).toEqual([]);
    expect(new Set(reference.map(({ status }) => status)).size).toBeGreaterThan(5);
    passed.set(REFERENCE, cases.length);
  });

  it.each(targets.filter(({ name }) => name !== REFERENCE).map(({ name }) => [name]))('%s answers every case as Express 5 does', (name) => {
    const reference = observed.get(REFERENCE) as Observed[];
    const actual = observed.get(name) as Observed[];
    const failures = cases.flatMap((each, index) => {
      const found = differences(reference[index] as Observed, actual[index] as Observed);
      return found.length === 0 ? [] : [`${each.id} on ${name}:\n  ${found.join('\n  ')}`];
    });
    passed.set(name, cases.length - failures.length);
    if (failures.length > 0) {
      throw new Error(`${failures.length} of ${cases.length} cases differ on ${name}:\n${failures.slice(0, 12).join('\n')}`);
    }
  });
});
