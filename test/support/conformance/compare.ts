import type { RawResponse } from '../http-client';

/** A response as compared across targets. */
export interface Observed {
  status: number;
  /** Lower-case name → value (repeated fields joined with ", "), without what the transport owns. */
  headers: Map<string, string>;
  body: Buffer;
}

/** Headers each transport sets its own way: never compared. Content-Length is compared when both send it. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** A generated request id (the request sent none, or an unsafe one): random by design, so masked. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const MASK = '<generated-uuid>';

/** The response as it came over the wire, generated ids masked. */
export function observe({ status, rawHeaders, body }: RawResponse): Observed {
  const headers = new Map<string, string>();
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] as string).toLowerCase();
    if (TRANSPORT_HEADERS.has(name)) continue;
    const value = (rawHeaders[index + 1] as string).replace(UUID, MASK);
    const before = headers.get(name);
    headers.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  return { status, headers, body: Buffer.from(body.toString('latin1').replace(UUID, MASK), 'latin1') };
}

/** A Fetch API Response read in this process, as `observe` reads one from the wire. */
export async function observeResponse(response: Response): Promise<Observed> {
  const rawHeaders = [...response.headers].flat();
  return observe({ status: response.status, headers: {}, rawHeaders, body: Buffer.from(await response.arrayBuffer()) });
}

/** Each difference from the reference, in words naming the header or the body offset; none when they conform. */
export function differences(reference: Observed, actual: Observed): string[] {
  const found: string[] = [];
  if (actual.status !== reference.status) found.push(`status ${actual.status}, expected ${reference.status}`);
  for (const name of new Set([...reference.headers.keys(), ...actual.headers.keys()])) {
    const expected = reference.headers.get(name);
    const got = actual.headers.get(name);
    if (name === 'content-length' && (expected === undefined || got === undefined)) continue;
    if (got === expected) continue;
    if (expected === undefined) found.push(`header ${name}: ${JSON.stringify(got)} not expected`);
    else if (got === undefined) found.push(`header ${name}: missing, expected ${JSON.stringify(expected)}`);
    else found.push(`header ${name}: ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  }
  const bodyDifference = firstDifference(reference.body, actual.body);
  if (bodyDifference !== undefined) found.push(bodyDifference);
  return found;
}

function firstDifference(expected: Buffer, got: Buffer): string | undefined {
  if (expected.equals(got)) return undefined;
  let offset = 0;
  while (offset < expected.length && offset < got.length && expected[offset] === got[offset]) offset += 1;
  const around = (body: Buffer) => JSON.stringify(body.subarray(Math.max(0, offset - 20), offset + 40).toString('utf8'));
  return `body differs at byte ${offset} (lengths ${got.length}, expected ${expected.length}): ${around(got)}, expected ${around(expected)}`;
}
