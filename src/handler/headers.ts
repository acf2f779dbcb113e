import { STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';
import vary from 'vary';
import type { HttpResponse } from '../http';

/**
 * Sets a header only when Node accepts its name and value, which rules out
 * CR/LF and other control characters: a header can never split a response.
 */
export function setSafeHeader(res: HttpResponse, name: string, value: string): boolean {
  if (!isSafeHeader(name, value)) return false;
  res.setHeader(name, value);
  return true;
}

/** Whether Node accepts this header name and value. */
function isSafeHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/** Headers the error response owns; an error's own `headers` cannot replace them. */
const OWNED = new Set([
  'cache-control',
  'connection',
  'content-encoding',
  'content-language',
  'content-length',
  'content-type',
  'keep-alive',
  'retry-after',
  'set-cookie',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'vary',
  'x-content-type-options',
]);

/**
 * Room for an error's own headers, names and values together. Clients refuse
 * a response whose header section is too large (Node's default limit is
 * 16 KiB for all of it), so headers past this are dropped, not sent.
 */
export const ERROR_HEADERS_MAX_BYTES = 8192;

export function applyErrorHeaders(
  res: HttpResponse,
  headers: Readonly<Record<string, string | number>> | undefined,
  requestIdHeader: string | undefined,
): void {
  if (headers === undefined) return;
  let room = ERROR_HEADERS_MAX_BYTES;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (OWNED.has(lower) || lower === requestIdHeader) continue;
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number.
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      const text = String(value);
      // Valid header names and values are Latin-1: one byte per character.
      const size = name.length + text.length;
      if (size <= room && setSafeHeader(res, name, text)) room -= size;
    }
  }
}

/**
 * Headers a route may have set for the body it meant to send (and a
 * Retry-After meant for another answer). They would describe the wrong
 * response, so they go; others (CORS, cookies) stay, since a browser client
 * needs them to read the error at all.
 */
const STALE_HEADERS: ReadonlySet<string> = new Set([
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-length',
  'content-location',
  'content-range',
  'content-type',
  'etag',
  'last-modified',
  'retry-after',
  'transfer-encoding',
]);

/**
 * Removes what the route set for its own response. Called before the error's
 * headers are applied, so that an error's own Content-Range or ETag stays.
 */
export function clearStaleHeaders(res: HttpResponse): void {
  // A response holds few headers by now: checking those is cheaper than removing every stale name.
  for (const name of res.getHeaderNames()) {
    if (STALE_HEADERS.has(name)) res.removeHeader(name);
  }
}

export interface ResponseHead {
  status: number;
  contentType: string;
  /** Request headers the body was chosen by. */
  vary: readonly string[];
  /** Content-Language: the language of the body's message, when known. */
  language?: string;
  /** Headers of this answer alone (Retry-After, the request id) as name, value, name, value…; each made safe by its maker. */
  headers: readonly string[];
  /**
   * Write the head with one `writeHead` call when nothing set a header before:
   * cheaper than setting them one by one, but `res.getHeader` then reads none
   * of them. For the shed answer, which runs before any other code.
   */
  headInOneWrite?: boolean;
}

/**
 * A response body: one string, or parts whose concatenation is the body, for
 * large bodies built piece by piece (an item response of a thousand items).
 */
export type ResponseBody = string | readonly string[];

/**
 * Parts are encoded in groups of about this many characters. One encoding of
 * a string of hundreds of kilobytes costs more per byte than many small ones
 * (the string is flattened and copied into fresh large memory first), which
 * bent the per-item cost curve of item responses upwards.
 */
const BODY_CHUNK_CHARS = 16384;

/** The body as UTF-8: one buffer for a string, else buffers of about BODY_CHUNK_CHARS characters (none for an empty body). */
function encodeBody(body: ResponseBody): Buffer[] {
  if (typeof body === 'string') return [Buffer.from(body, 'utf8')];
  const chunks: Buffer[] = [];
  let pending = '';
  for (const part of body) {
    pending += part;
    // Stryker disable next-line all: where the groups end changes the cost, never the bytes sent.
    if (pending.length >= BODY_CHUNK_CHARS) {
      chunks.push(Buffer.from(pending, 'utf8'));
      pending = '';
    }
  }
  // Stryker disable next-line all: an empty buffer more or less sends the same bytes.
  if (pending !== '') chunks.push(Buffer.from(pending, 'utf8'));
  return chunks;
}

/**
 * Writes a complete response, after clearStaleHeaders and the error's own
 * headers. A HEAD request gets the same headers: Node's response drops the body itself.
 */
export function writeResponse(res: HttpResponse, head: ResponseHead, body: ResponseBody): void {
  const { payload, length } = payloadOf(body);
  const owned: (string | number)[] = [
    ...head.headers,
    'Content-Type',
    head.contentType,
    'Content-Length',
    length,
    'X-Content-Type-Options',
    'nosniff',
    'Cache-Control',
    'no-store',
  ];
  if (head.language !== undefined && isSafeHeader('Content-Language', head.language)) owned.push('Content-Language', head.language);
  // The route may have set its own reason phrase for the answer it meant to send.
  // Stryker disable next-line StringLiteral: for a status without a phrase Node says 'unknown' itself; the one-write path only sends 503.
  const statusMessage = STATUS_CODES[head.status] ?? 'unknown';
  const nothingSetBefore = res.getHeaderNames().length === 0;
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: in one write or header by header the same head is sent (test/shed-head.test.ts); only the cost differs.
  if (head.headInOneWrite === true && nothingSetBefore) {
    owned.push('Vary', head.vary.join(', '));
    res.writeHead(head.status, statusMessage, owned);
  } else {
    for (let index = 0; index < owned.length; index += 2) res.setHeader(owned[index] as string, owned[index + 1] as string | number);
    const varied = res.getHeader('Vary');
    res.setHeader('Vary', varied === undefined ? head.vary.join(', ') : vary.append(String(varied), [...head.vary]));
    res.statusCode = head.status;
    res.statusMessage = statusMessage;
  }
  res.end(payload);
}

// Stryker disable all: which way the body goes to res.end changes the cost, never the bytes sent.
/** The parts as one string when they are BODY_CHUNK_CHARS characters or fewer in all. */
function joinedIfShort(parts: readonly string[]): string | undefined {
  let chars = 0;
  for (const part of parts) {
    chars += part.length;
    if (chars > BODY_CHUNK_CHARS) return undefined;
  }
  return parts.join('');
}
// Stryker restore all

/** What res.end gets, and its length in bytes. */
function payloadOf(body: ResponseBody): { payload: string | Buffer; length: number } {
  // A short string goes as it is: Node then sends it in the same write as the head,
  // where a Buffer would take a second one (writev), the larger cost for a small error.
  const text = typeof body === 'string' ? body : joinedIfShort(body);
  // Stryker disable next-line all: either way the same bytes are sent.
  if (text !== undefined && text.length <= BODY_CHUNK_CHARS) return { payload: text, length: Buffer.byteLength(text) };
  // Encoded once: measuring a large body and then sending it would read it three times
  // (Buffer.byteLength, then res.end measures and encodes it again).
  const chunks = encodeBody(body);
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  // One buffer is sent as it is; concat would copy it.
  // Stryker disable next-line all: the copy changes the cost, never the bytes sent.
  return { payload: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length), length };
}
