import { STATUS_PHRASES } from '../status-phrases';
import { type EnhancedError, type ErrorHeaders, isEnhancedError } from '../error/enhanced-error';
import { parseRetryAfter, retryAfterInHeaders } from '../envelope/retry-after';
import { isAction } from '../registry/actions';
import type { RegistryView, StatusCodeMap } from '../registry/registry';
import { describe } from '../shared/describe';
import { isCode, isErrorStatus, isNonEmptyString, isRetryAfter } from '../registry/validate';
import { isBodyParserError } from './body-parser-error';
import { copyHeaders, withPlainFields } from './plain-fields';

export type { StatusCodeMap } from '../registry/registry';

/** Codes used for these statuses when the registry has them and maps nothing else there. */
export const DEFAULT_STATUS_CODES: StatusCodeMap = Object.freeze({
  400: 'bad_request',
  404: 'not_found',
  405: 'invalid_http_method',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
});

/**
 * What becomes of an EnhancedError whose code the registry lacks (made by
 * another registry, or by hand): `'map'` answers the registry's code for its
 * status, `'keep'` sends it as it is.
 */
export type StrictCodes = 'map' | 'keep';

export interface NormalizeOptions {
  registry: RegistryView;
  /**
   * Merged over the registry's own `statusCodes` (and DEFAULT_STATUS_CODES
   * the registry has); every code named here must exist in the registry and
   * allow its status.
   */
  statusCodes?: StatusCodeMap;
  /** Default: `'map'`. */
  strictCodes?: StrictCodes;
}

/**
 * The `cause` of the first error answered for each foreign code: says which
 * code was thrown and which was sent. Its own `cause` is the thrown error.
 */
export class ForeignCodeError extends Error {
  override readonly name = 'ForeignCodeError';

  constructor(message: string, thrown: EnhancedError) {
    super(message, { cause: thrown });
    // Where it was made says nothing: the thrown error, its cause, has the stack that matters.
    this.stack = `${this.name}: ${message}`;
  }
}

/** Foreign codes told about per normalizer; past this many, no more are (codes made from data must not grow memory). */
const MAX_FOREIGN_CODES_TOLD = 1000;

/**
 * Turns anything thrown into an EnhancedError whose code is a member of the
 * registry (with strictCodes 'keep', an EnhancedError of another registry is
 * kept as it is). Never throws.
 * `responseStatus` is the status the route already set: used, like
 * finalhandler does, when what was thrown carries none.
 */
export type Normalize = (thrown: unknown, responseStatus?: number) => EnhancedError;

/**
 * Builds the normalizer once, at start-up: the status map is checked against
 * the registry here so that a wrong map fails before the first request.
 */
export function createNormalizer(options: NormalizeOptions): Normalize {
  const { registry } = options;
  const byStatus = new Map<number, string>();
  for (const [status, code] of Object.entries(DEFAULT_STATUS_CODES)) {
    if (registry.get(code)?.statuses.includes(Number(status))) byStatus.set(Number(status), code);
  }
  for (const [status, code] of Object.entries(registry.statusCodes ?? {})) byStatus.set(Number(status), code);
  for (const [key, code] of Object.entries(options.statusCodes ?? {})) {
    const status = Number(key);
    const entry = registry.get(code);
    if (!isErrorStatus(status)) throw new TypeError(`statusCodes: ${key} is not a 4xx/5xx status`);
    if (entry === undefined) throw new TypeError(`statusCodes[${key}]: ${registry.name} has no code "${code}"`);
    if (!entry.statuses.includes(status)) {
      throw new TypeError(`statusCodes[${key}]: code "${code}" does not allow status ${key} (allowed: ${entry.statuses.join(', ')})`);
    }
    byStatus.set(status, code);
  }
  const codeFor = codesForEveryStatus(registry, byStatus);
  const strictCodes = options.strictCodes === undefined ? 'map' : options.strictCodes;
  if (strictCodes !== 'map' && strictCodes !== 'keep') {
    throw new TypeError(`strictCodes option must be 'map' or 'keep', got ${describe(strictCodes)}`);
  }
  // Read once: a Set lookup per error is all 'map' costs when the code is the registry's.
  const ownCodes: ReadonlySet<string> | undefined = strictCodes === 'map' ? new Set(registry.codes) : undefined;
  const foreignCodesTold = new Set<string>();

  /** `thrown` is read for its message and headers only when it carries the status itself (`own`). */
  function fromStatus(status: number, thrown: unknown, own = false): EnhancedError {
    const code = codeFor(status);
    // Retry-After reveals nothing, so a 5xx keeps it too; nothing else of a server error reaches the client.
    const retryAfter = typeof thrown === 'object' && thrown !== null ? ownRetryAfter(thrown) : undefined;
    if (status >= 500 || !own) return registry.create(code, { status, retryAfter, cause: thrown });
    const error = thrown as object;
    return registry.create(code, {
      status,
      details: exposedDetails(error, status),
      headers: exposedHeaders(error),
      retryAfter,
      cause: thrown,
    });
  }

  /**
   * A foreign code answered as a thrown http-errors error of its status
   * would be: the registry's code for it; for a 4xx, the error's details (else
   * its message), headers and field errors, which were meant for the client;
   * for a 5xx, only its wait.
   */
  function fromForeignCode(error: EnhancedError): EnhancedError {
    const { status } = error;
    const code = codeFor(status);
    let cause: unknown = error;
    if (!foreignCodesTold.has(error.code) && foreignCodesTold.size < MAX_FOREIGN_CODES_TOLD) {
      foreignCodesTold.add(error.code);
      cause = new ForeignCodeError(
        `code ${JSON.stringify(error.code)} is not a code of ${registry.name}: answered ${status} ${code} instead (strictCodes: 'map'; told once per code)`,
        error,
      );
    }
    const retryAfter = ownRetryAfter(error);
    if (status >= 500) return registry.create(code, { status, retryAfter, cause });
    const { details, message, headers, fields, omittedFields } = error;
    return registry.create(code, { status, details: details ?? message, headers, retryAfter, fields, omittedFields, cause });
  }

  return function normalize(thrown: unknown, responseStatus?: number): EnhancedError {
    try {
      if (isEnhancedError(thrown)) {
        const error = withPlainFields(thrown);
        if (isIntact(error)) return ownCodes === undefined || ownCodes.has(error.code) ? error : fromForeignCode(error);
      }
      if (typeof thrown === 'object' && thrown !== null) {
        const status = statusOf(thrown);
        if (status !== undefined) return fromStatus(status, thrown, true);
      }
    } catch {
      // A getter or Proxy trap threw while the error was read: treat it as unknown.
      return fromStatus(500, thrown);
    }
    return fromStatus(isErrorStatus(responseStatus) ? responseStatus : 500, thrown);
  };
}

/**
 * The code of every 4xx/5xx status, resolved now: the map first, then the
 * registry's fallback for the status's class. A registry that leaves a
 * status without a code is refused here, at start-up.
 */
function codesForEveryStatus(registry: RegistryView, byStatus: ReadonlyMap<number, string>): (status: number) => string {
  const { fallbacks } = registry;
  const codes = new Map<number, string>();
  const missing: number[] = [];
  for (let status = 400; status <= 599; status++) {
    const code = byStatus.get(status) ?? (status < 500 ? fallbacks?.clientError : fallbacks?.serverError);
    if (code === undefined || !registry.get(code)?.statuses.includes(status)) missing.push(status);
    else codes.set(status, code);
  }
  if (missing.length > 0) {
    throw new TypeError(
      `registry ${registry.name} has no code for status ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}: ` +
        'give createRegistry a fallbacks option ({ clientError, serverError }) or map them in statusCodes',
    );
  }
  return (status) => codes.get(status) as string;
}

/** An EnhancedError whose fields were changed after construction may no longer be valid. */
function isIntact(error: EnhancedError): boolean {
  return (
    isErrorStatus(error.status) &&
    isCode(error.code) &&
    isAction(error.action) &&
    isNonEmptyString(error.message) &&
    (error.details === undefined || typeof error.details === 'string') &&
    (error.omittedFields === undefined || (Number.isSafeInteger(error.omittedFields) && error.omittedFields >= 0))
  );
}

/** Like finalhandler: `status` first, then `statusCode`, and only 4xx/5xx count. */
function statusOf(thrown: object): number | undefined {
  const { status, statusCode } = thrown as { status?: unknown; statusCode?: unknown };
  if (isErrorStatus(status)) return status;
  if (isErrorStatus(statusCode)) return statusCode;
  return undefined;
}

/**
 * A 4xx message is meant for the client only when the error says so
 * (http-errors sets `expose`). body-parser's messages quote the body: its
 * mapper gives them a fixed text, and without it they are never shown.
 */
function exposedDetails(thrown: object, status: number): string | undefined {
  if (isBodyParserError(thrown)) return undefined;
  const { expose, message } = thrown as { expose?: unknown; message?: unknown };
  if (expose !== true || typeof message !== 'string' || message.length === 0) return undefined;
  return message === STATUS_PHRASES[status] ? undefined : message;
}

function exposedHeaders(thrown: object): ErrorHeaders | undefined {
  const { headers } = thrown as { headers?: unknown };
  // Copied now, inside normalize's try, so that no getter runs while the response is written.
  return copyHeaders(headers);
}

/** A thrown error's own wait: its `retryAfter` (seconds or Date), else its Retry-After header. */
function ownRetryAfter(thrown: object): number | Date | undefined {
  try {
    const { retryAfter, headers } = thrown as { retryAfter?: unknown; headers?: unknown };
    if (isRetryAfter(retryAfter)) return retryAfter;
    return parseRetryAfter(retryAfterInHeaders(copyHeaders(headers)));
  } catch {
    // A getter that throws leaves the error without a wait of its own.
  }
  return undefined;
}
