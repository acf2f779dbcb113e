import type { RequestListener } from 'node:http';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { passRegistry } from '../src';
import { enhancedErrorHandlerWithItems, type EnhancedErrorHandlerWithItemsOptions } from '../src/items';
import { loadShedding } from '../src/overload';
import { serveToParent } from './child';

/**
 * One server of the overload benchmark (bench/overload.ts), in its own
 * process like bench/server.ts and speaking the same IPC: its port first, then
 * its CPU time (µs) whenever asked. `process.argv[2]` names the server.
 */

export const BURN_MILLISECONDS = 2;

/** The route under load: ~2 ms of CPU, then a small JSON answer. */
function burn(_req: express.Request, res: express.Response): void {
  const until = performance.now() + BURN_MILLISECONDS;
  let spins = 0;
  while (performance.now() < until) spins++;
  res.json({ ok: true, spins: spins > 0 });
}

const OPTIONS: EnhancedErrorHandlerWithItemsOptions = { log: false, maxItems: Infinity };

/**
 * Shedding as a service would tune it for this route: a reading every 50 ms,
 * shedding while the event loop's mean delay is over 20 ms.
 */
export const SHEDDING = { maxEventLoopDelay: 20, sampleInterval: 50, maxHeapUsedBytes: false } as const;

/** Always over its limit: the shed path alone. */
const alwaysOver = () => loadShedding({ ...OPTIONS, sampler: () => ({ eventLoopDelayMs: 1e6 }), maxHeapUsedBytes: false });

function cpuApp(withShedding: boolean): RequestListener {
  const app = express();
  if (withShedding) app.use(loadShedding({ ...OPTIONS, ...SHEDDING }));
  app.get('/', burn);
  return app;
}

function shedApp(): RequestListener {
  const app = express();
  app.use(alwaysOver());
  app.get('/', burn);
  return app;
}

/** What the shed answer costs at least: node:http with a constant body of the same size and the same headers. */
function bare503(): RequestListener {
  const entry = passRegistry.get('service_unavailable');
  const body = JSON.stringify({
    action: entry.action,
    status: 503,
    code: entry.code,
    message: entry.message,
    trace: '00000000-0000-4000-8000-000000000000',
  });
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Retry-After': '1',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Accept',
  };
  return (_req, res) => {
    res.writeHead(503, headers);
    res.end(body);
  };
}

/** N items, every third denied. */
function madeItems(count: number): object[] {
  return Array.from({ length: count }, (_, index) =>
    index % 3 === 2
      ? { id: `resource-${index}`, authorized: false, error: passRegistry.create('authorization_denied_by_mvpd') }
      : { id: `resource-${index}`, authorized: true },
  );
}

/**
 * GET /items?n=N: N items, every third denied; GET /built?n=N: the same items built and
 * not sent (204), the route's own share of /items; GET /aggregate?n=N: an AggregateError of N errors.
 */
function costApp(): RequestListener {
  const errors = enhancedErrorHandlerWithItems(OPTIONS);
  const app = express();
  app.get('/items', (req, res) => {
    errors.sendItems(req, res, { collection: 'resources', items: madeItems(Number(req.query.n)) });
  });
  app.get('/built', (req, res) => {
    // Kept alive until answered, as /items keeps its items until they are written.
    const items = madeItems(Number(req.query.n));
    res.status(204).setHeader('X-Items', items.length);
    res.end();
  });
  app.get('/aggregate', (req) => {
    const count = Number(req.query.n);
    const reasons = Array.from({ length: count }, (_, index) =>
      passRegistry.create('authorization_denied_by_mvpd', { details: `resource-${index}` }),
    );
    throw new AggregateError(reasons, `${count} resources denied`);
  });
  app.use(errors.handler);
  return app;
}

export const OVERLOAD_SERVERS = {
  cpu: () => cpuApp(false),
  'cpu-shed': () => cpuApp(true),
  'shed-express': shedApp,
  'shed-wrapped': () => {
    const shedding = alwaysOver();
    return shedding.wrap(express().get('/', burn));
  },
  'bare-503': bare503,
  cost: costApp,
} satisfies Record<string, () => RequestListener>;

export type OverloadServerName = keyof typeof OVERLOAD_SERVERS;

if (require.main === module) {
  const name = process.argv[2] as OverloadServerName;
  const make = OVERLOAD_SERVERS[name];
  if (make === undefined) throw new Error(`unknown overload server ${name}`);
  serveToParent(make());
}
