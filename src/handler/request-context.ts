import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponse } from '../http';

export interface RequestIds {
  /** The caller's request id when it is safe to echo, else a generated one. */
  requestId: string;
  /** Unique per response; reported together with the request id. */
  trace: string;
}

const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function isSafeId(value: unknown): value is string {
  return typeof value === 'string' && SAFE_ID.test(value);
}

export interface RequestIdOptions {
  /** The request id header as configured, or undefined when request ids are off. */
  header: string | undefined;
  /** The same in lower case, as Node keys incoming headers. */
  headerKey: string | undefined;
  generateTrace: () => string;
}

/** Checks the request id options now, so that a bad header name fails at start-up. */
export function createRequestIdOptions(
  requestIdHeader: string | false | undefined,
  generateTrace: (() => string) | undefined,
): RequestIdOptions {
  const header = requestIdHeader === false ? undefined : (requestIdHeader ?? 'X-Request-Id');
  if (header !== undefined && !/^[A-Za-z0-9-]+$/.test(header)) {
    throw new TypeError(`requestIdHeader must be a header name, got ${JSON.stringify(header)}`);
  }
  if (generateTrace !== undefined && typeof generateTrace !== 'function') throw new TypeError('generateTrace must be a function');
  return { header, headerKey: header?.toLowerCase(), generateTrace: generateTrace ?? randomUUID };
}

/**
 * The request id and trace an earlier middleware kept on `res.locals`, if any: what log lines should carry.
 *
 * @example
 * logger.info({ ...requestContextOf(res) }, 'order placed'); // carries requestId and trace when set
 */
export function requestContextOf(res: HttpResponse): RequestIds | undefined {
  const locals = res.locals;
  return isSafeId(locals?.requestId) && isSafeId(locals.trace) ? { requestId: locals.requestId, trace: locals.trace } : undefined;
}

/**
 * Reads or makes the request id and trace, echoes the request id (unless
 * `echo` is false: the caller sends it itself) and keeps both on
 * `res.locals`. Values an earlier middleware already put there are reused,
 * so that its log lines and the error body agree.
 */
export function requestIds(req: HttpRequest, res: HttpResponse, options: RequestIdOptions, echo = true): RequestIds {
  const locals = res.locals;
  let requestId: string;
  if (isSafeId(locals?.requestId)) requestId = locals.requestId;
  else {
    const incoming = options.headerKey === undefined ? undefined : req.headers[options.headerKey];
    requestId = isSafeId(incoming) ? incoming : randomUUID();
  }
  const trace = isSafeId(locals?.trace) ? locals.trace : safeTrace(options.generateTrace);
  // The name was checked at start-up and the id is safe: nothing here can split the response.
  if (echo && options.header !== undefined) res.setHeader(options.header, requestId);
  if (locals !== undefined) {
    locals.requestId = requestId;
    locals.trace = trace;
  }
  return { requestId, trace };
}

function safeTrace(generate: () => string): string {
  try {
    const trace = generate();
    if (isSafeId(trace)) return trace;
  } catch {
    // fall through to a UUID
  }
  return randomUUID();
}
