import { passRegistry } from '../src';
import { fetchErrorHandler } from '../src/adapters/fetch';

// toResponse against a handwritten `new Response(...)` with the same status,
// headers and bytes, in-process. Web APIs only (no node: module), so that
// the same file runs on Node (through tsx) and on Bun.

export interface FetchResponseResult {
  runtime: string;
  /** Responses per second, median of the repetitions. */
  handwritten: number;
  toResponse: number;
  /** toResponse ÷ handwritten. */
  ratio: number;
}

const entry = passRegistry.get('too_many_requests');
const RETRY_AFTER = '60';

/** What a service writes by hand for a rate-limited request: the answer it knows, each with its own ids. */
function handwritten(): Response {
  const requestId = crypto.randomUUID();
  const trace = crypto.randomUUID();
  const body = JSON.stringify({
    action: entry.action,
    status: entry.status,
    code: entry.code,
    message: entry.message,
    helpUrl: entry.helpUrl,
    trace,
  });
  return new Response(body, {
    status: 429,
    statusText: 'Too Many Requests',
    headers: [
      ['X-Request-Id', requestId],
      ['Retry-After', RETRY_AFTER],
      ['Content-Type', 'application/json; charset=utf-8'],
      ['X-Content-Type-Options', 'nosniff'],
      ['Cache-Control', 'no-store'],
      ['Content-Language', 'en'],
      ['Vary', 'Accept'],
    ],
  });
}

const errors = fetchErrorHandler({ log: false, openTelemetry: false });
const request = new Request('http://localhost/limited', { headers: { accept: 'application/json' } });
// Made once: what a route throws is the route's work, the same with or without the library.
const thrown = passRegistry.create('too_many_requests');
const viaToResponse = (): Response => errors.toResponse(thrown, request);

/** Fails when the two answers differ in anything but their ids: then the ratio would compare different work. */
async function assertSameAnswer(): Promise<void> {
  const describe = async (response: Response) => {
    const headers = [...response.headers].filter(([name]) => name !== 'x-request-id');
    const body = (await response.text()).replace(/"trace":"[^"]+"/, '"trace":"-"');
    return JSON.stringify({ status: response.status, headers, body });
  };
  const [mine, theirs] = await Promise.all([describe(viaToResponse()), describe(handwritten())]);
  if (mine !== theirs) throw new Error(`toResponse and the handwritten Response differ:\n${mine}\n${theirs}`);
}

const BATCH = 128;

/** Milliseconds to make and read one batch of responses. */
async function timeBatch(make: () => Response): Promise<number> {
  let bytes = 0;
  const start = performance.now();
  for (let index = 0; index < BATCH; index++) bytes += (await make().arrayBuffer()).byteLength;
  const elapsed = performance.now() - start;
  if (bytes === 0) throw new Error('no bytes');
  return elapsed;
}

/**
 * Both, batch by batch in alternating order for `milliseconds`, so that
 * whatever the machine does meanwhile (another process, a GC) falls on both
 * alike: responses per second of each.
 */
async function measurePair(milliseconds: number): Promise<{ handwritten: number; toResponse: number }> {
  const spent = { handwritten: 0, toResponse: 0 };
  let batches = 0;
  const deadline = performance.now() + milliseconds;
  do {
    if (batches % 2 === 0) {
      spent.handwritten += await timeBatch(handwritten);
      spent.toResponse += await timeBatch(viaToResponse);
    } else {
      spent.toResponse += await timeBatch(viaToResponse);
      spent.handwritten += await timeBatch(handwritten);
    }
    batches += 1;
  } while (performance.now() < deadline);
  const perSecond = (ms: number) => (batches * BATCH * 1000) / ms;
  return { handwritten: perSecond(spent.handwritten), toResponse: perSecond(spent.toResponse) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Interleaved measurements of both, after a warm-up; the ratio is the median of the repetitions' ratios. */
export async function benchmarkFetchResponse(runtime: string, milliseconds = 1000, repetitions = 5): Promise<FetchResponseResult> {
  await assertSameAnswer();
  await measurePair(Math.min(500, milliseconds));
  const pairs: { handwritten: number; toResponse: number }[] = [];
  for (let repetition = 0; repetition < repetitions; repetition++) pairs.push(await measurePair(milliseconds));
  return {
    runtime,
    handwritten: median(pairs.map((pair) => pair.handwritten)),
    toResponse: median(pairs.map((pair) => pair.toResponse)),
    ratio: median(pairs.map((pair) => pair.toResponse / pair.handwritten)),
  };
}
