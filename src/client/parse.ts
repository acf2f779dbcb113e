import { fromJsonValue, type Facts, notEnhanced } from './shapes';
import { parseRetryAfter } from './retry-after';
import type { HeadersLike, ParsedResponse, ReadResponse, ResponseLike } from './types';
import { fromXmlText } from './xml';

/** How a response is read. */
export interface ParseOptions {
  /**
   * The headers the request id is read from, first found wins. Default:
   * X-Request-Id, then Adobe-Request-Id (the header the Adobe Pass
   * specification puts on every response).
   */
  readonly requestIdHeaders?: readonly string[];
  /** The clock a two-digit year of an RFC 850 Retry-After date is placed against. Default: Date.now. */
  readonly now?: () => number;
}

export const DEFAULT_REQUEST_ID_HEADERS: readonly string[] = Object.freeze(['x-request-id', 'adobe-request-id']);

/** The options checked once; header names are kept in lower case. */
export function checkedParseOptions(options: ParseOptions | undefined): Required<ParseOptions> {
  const { requestIdHeaders: names, now = Date.now } = options ?? {};
  if (typeof now !== 'function') throw new TypeError('now must be a function that returns the time in milliseconds');
  if (names === undefined) return { requestIdHeaders: DEFAULT_REQUEST_ID_HEADERS, now };
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string' && /^[A-Za-z0-9-]+$/.test(name))) {
    throw new TypeError('requestIdHeaders must be a list of header names');
  }
  return { requestIdHeaders: names.map((name) => name.toLowerCase()), now };
}

/**
 * Reads a fetch `Response` (or anything with `status`, `headers` and
 * `text()`) and tells what Enhanced Error information it carries. It reads
 * the body; pass `response.clone()` to keep the original readable. Never
 * rejects: a body that cannot be read or understood gives `not-enhanced`.
 *
 * @example
 * const parsed = await parseEnhancedError(await fetch(url), { requestIdHeaders: ['Adobe-Request-Id'] });
 */
export async function parseEnhancedError(response: ResponseLike, options?: ParseOptions): Promise<ParsedResponse> {
  const facts = factsOf(response.status, response.headers, checkedParseOptions(options));
  if (response.bodyUsed === true) return notEnhanced(facts, 'unreadable-body', 'The body was already read.');
  let body: string;
  try {
    body = await response.text();
  } catch (failure) {
    return notEnhanced(facts, 'unreadable-body', `The body could not be read: ${describeFailure(failure)}`);
  }
  return parseBody(facts, response.headers, body);
}

/**
 * The same for a response whose status, headers and body are already at hand. Never throws.
 *
 * @example
 * const result = parseEnhancedErrorSync({ status: res.statusCode, headers: res.headers, body: rawBody });
 */
export function parseEnhancedErrorSync(response: ReadResponse, options?: ParseOptions): ParsedResponse {
  const facts = factsOf(response.status, response.headers, checkedParseOptions(options));
  try {
    const { body } = response;
    const text = body === null || body === undefined ? '' : typeof body === 'string' ? body : new TextDecoder().decode(body);
    return parseBody(facts, response.headers, text);
  } catch (failure) {
    return notEnhanced(facts, 'unreadable-body', `The body could not be read: ${describeFailure(failure)}`);
  }
}

const HTML_START = /^\s*<(?:!doctype\s+html|html)\b/i;

function parseBody(facts: Facts, headers: HeadersLike | undefined, body: string): ParsedResponse {
  const text = body.replace(/^\uFEFF/, '');
  if (text.trim().length === 0) return notEnhanced(facts, 'empty-body', 'The body is empty.');
  const mediaType = (headerValue(headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const syntax = syntaxOf(mediaType, text);
  if (syntax === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return notEnhanced(facts, 'malformed-json', 'The body is not valid JSON (it may be cut short).');
    }
    return fromJsonValue(facts, value, mediaType === 'application/problem+json');
  }
  if (syntax === 'xml') return fromXmlText(facts, text);
  const found =
    mediaType === 'text/html' || HTML_START.test(text) ? 'an HTML page' : `a ${mediaType || 'body'} that is neither JSON nor XML`;
  return notEnhanced(facts, 'not-json-or-xml', `The response is ${found}.`);
}

/** The declared type decides; a missing or generic one is settled by the body's first character. */
function syntaxOf(mediaType: string, text: string): 'json' | 'xml' | undefined {
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType === 'application/xml' || mediaType === 'text/xml' || mediaType.endsWith('+xml')) return 'xml';
  if (mediaType === 'text/html') return undefined;
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') return 'json';
  if (first === '<' && !HTML_START.test(text)) return 'xml';
  return undefined;
}

function factsOf(status: number, headers: HeadersLike | undefined, { requestIdHeaders, now }: Required<ParseOptions>): Facts {
  const retryAfterHeader = headerValue(headers, 'retry-after');
  const retryAfter = parseRetryAfter(retryAfterHeader, now());
  let requestId: string | undefined;
  for (const name of requestIdHeaders) {
    requestId = headerValue(headers, name);
    if (requestId !== undefined) break;
  }
  return {
    httpStatus: status,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(retryAfterHeader !== undefined && retryAfter === undefined ? { invalidRetryAfter: retryAfterHeader } : {}),
    ...(requestId === undefined ? {} : { requestId }),
  };
}

/** One header's value from fetch Headers or a Node headers object; never throws. */
export function headerValue(headers: HeadersLike | undefined, name: string): string | undefined {
  try {
    if (headers === undefined || headers === null) return undefined;
    if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
    const value = key === undefined ? undefined : (headers as Readonly<Record<string, unknown>>)[key];
    if (Array.isArray(value)) return value.join(', ');
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  } catch {
    return undefined;
  }
}

function describeFailure(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
