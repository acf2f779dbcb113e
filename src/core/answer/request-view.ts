/**
 * What the core reads of a request: no framework's type. An adapter makes
 * one per request from its framework's request object.
 */
export interface RequestView<Raw = unknown> {
  readonly method: string;
  /** A request header by its lower-case name; undefined when absent (or repeated into a list). */
  header(name: string): string | undefined;
  /** The request id and trace an earlier middleware settled, each reused when safe. */
  readonly ids?: Partial<RequestIds>;
  /** The framework's request, handed as it is to the callbacks that take one (a helpUrl function). */
  readonly raw: Raw;
}

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
  /** The same in lower case, as requests' headers are looked up. */
  headerKey: string | undefined;
  generateTrace: () => string;
}

const randomUUID = (): string => globalThis.crypto.randomUUID();

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
 * The request id and trace of this response: those settled before when safe,
 * else the request's own id when safe to echo, else new ones.
 */
export function settleRequestIds(request: RequestView, options: RequestIdOptions): RequestIds {
  const settled = request.ids;
  let requestId: string;
  if (isSafeId(settled?.requestId)) requestId = settled.requestId;
  else {
    const incoming = options.headerKey === undefined ? undefined : request.header(options.headerKey);
    requestId = isSafeId(incoming) ? incoming : randomUUID();
  }
  const trace = isSafeId(settled?.trace) ? settled.trace : safeTrace(options.generateTrace);
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
