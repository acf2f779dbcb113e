import './proxy-check';
import vary from 'vary';
import type { Answer, AnswerBody } from '../../core/answer/answer';
import { STATUS_PHRASES } from '../../core/status-phrases';
import type { HttpResponse } from '../http';

// Writes an Answer to a Node response. It decides nothing of the answer: what
// it adds depends on the response object (the route's stale headers, a Vary
// already set, Content-Length of the bytes it encodes).

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

export interface WriteOptions {
  /**
   * Write the head with one `writeHead` call when nothing set a header before:
   * cheaper than setting them one by one, but `res.getHeader` then reads none
   * of them. For the shed answer, which runs before any other code.
   */
  headInOneWrite?: boolean;
}

/**
 * Parts are encoded in groups of about this many characters. One encoding of
 * a string of hundreds of kilobytes costs more per byte than many small ones
 * (the string is flattened and copied into fresh large memory first), which
 * bent the per-item cost curve of item responses upwards.
 */
const BODY_CHUNK_CHARS = 16384;

/** The body as UTF-8: one buffer for a string, else buffers of about BODY_CHUNK_CHARS characters (none for an empty body). */
function encodeBody(body: AnswerBody): Buffer[] {
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
 * Writes the answer as the complete response: the route's stale headers go
 * first, so that the error's own (Content-Range, ETag) stay. A HEAD request
 * gets the same headers: Node's response drops the body itself.
 */
export function writeAnswer(res: HttpResponse, answer: Answer, options: WriteOptions = {}): void {
  const { payload, length } = payloadOf(answer.body);
  // The route may have set its own reason phrase for the answer it meant to send.
  // Stryker disable next-line StringLiteral: for a status without a phrase Node says 'unknown' itself; the one-write path only sends 503.
  const statusMessage = STATUS_PHRASES[answer.status] ?? 'unknown';
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: in one write or header by header the same head is sent (test/overload/shed-head.test.ts); only the cost differs.
  if (options.headInOneWrite === true && res.getHeaderNames().length === 0) {
    const head: (string | number)[] = [];
    for (const [name, value] of answer.headers) head.push(name, value);
    head.push('Content-Length', length, 'Vary', answer.vary.join(', '));
    res.writeHead(answer.status, statusMessage, head);
  } else {
    clearStaleHeaders(res);
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.setHeader('Content-Length', length);
    addVary(res, answer.vary);
    res.statusCode = answer.status;
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

/**
 * Adds `fields` to the response's Vary, each once, after what a route or
 * middleware set (as the `vary` package's `vary(res, …)`, on any response
 * that has the members the handler uses).
 *
 * @example
 * addVary(res, ['Accept', 'Accept-Language']);
 */
export function addVary(res: HttpResponse, fields: readonly string[]): void {
  const current = res.getHeader('Vary') ?? '';
  const merged = vary.append(Array.isArray(current) ? current.join(', ') : String(current), [...fields]);
  // Stryker disable next-line StringLiteral,ConditionalExpression: an answer always varies by Accept, so merged is never empty here.
  if (merged !== '') res.setHeader('Vary', merged);
}

/** What res.end gets, and its length in bytes. */
function payloadOf(body: AnswerBody): { payload: string | Buffer; length: number } {
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
