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

/** Responses made and read per second, for `milliseconds`. */
async function measure(make: () => Response, milliseconds: number): Promise<number> {
  const start = performance.now();
  const deadline = start + milliseconds;
  let count = 0;
  let bytes = 0;
  do {
    for (let index = 0; index < 256; index++) bytes += (await make().arrayBuffer()).byteLength;
    count += 256;
  } while (performance.now() < deadline);
  if (bytes === 0) throw new Error('no bytes');
  return (count * 1000) / (performance.now() - start);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Interleaved measurements of both, after a warm-up. */
export async function benchmarkFetchResponse(runtime: string, milliseconds = 1000, repetitions = 5): Promise<FetchResponseResult> {
  await assertSameAnswer();
  await measure(handwritten, Math.min(300, milliseconds));
  await measure(viaToResponse, Math.min(300, milliseconds));
  const samples = { handwritten: [] as number[], toResponse: [] as number[] };
  for (let repetition = 0; repetition < repetitions; repetition++) {
    samples.handwritten.push(await measure(handwritten, milliseconds));
    samples.toResponse.push(await measure(viaToResponse, milliseconds));
  }
  const result = { runtime, handwritten: median(samples.handwritten), toResponse: median(samples.toResponse) };
  return { ...result, ratio: result.toResponse / result.handwritten };
}
