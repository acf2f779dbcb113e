import type { EnhancedError } from '../../error/enhanced-error';
import type { RegistryView } from '../../registry/registry';
import { createNormalizer, type Normalize } from '../normalize';
import { statusError } from '../status-error';
import type { ErrorMapper } from './types';

/** What went wrong on the way to an upstream service, in the spec's terms. */
export type FetchFailureKind = 'connection-failure' | 'connection-timeout' | 'received-error' | 'required-ssl';

/** The registry code answered for each kind, when the registry has it. */
export const FETCH_FAILURE_CODES: Readonly<Record<FetchFailureKind, string>> = Object.freeze({
  'connection-failure': 'network_connection_failure',
  'connection-timeout': 'network_connection_timeout',
  'received-error': 'network_received_error',
  'required-ssl': 'network_required_ssl',
});

/**
 * The HTTP status normalized when the registry lacks the kind's code: the
 * service stood as a gateway to the upstream, so 502 Bad Gateway for an
 * upstream that could not be reached, read or trusted, 504 Gateway Timeout
 * for one that did not answer in time.
 */
export const FETCH_FAILURE_FALLBACK_STATUS: Readonly<Record<FetchFailureKind, number>> = Object.freeze({
  'connection-failure': 502,
  'connection-timeout': 504,
  'received-error': 502,
  'required-ssl': 502,
});

export interface FetchFailureMapperOptions {
  /** Replaces the code used for a kind; each code named here must exist in the registry. */
  codes?: Partial<Readonly<Record<FetchFailureKind, string>>>;
  /**
   * Turns the fallback status into an error when the registry has no code for
   * a kind. Pass the error pipeline's normalizer so that its `statusCodes`
   * apply. Default: `createNormalizer({ registry })`.
   */
  normalize?: Normalize;
}

const CONNECTION_FAILURES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

const CONNECTION_TIMEOUTS: ReadonlySet<string> = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

const RECEIVED_ERRORS: ReadonlySet<string> = new Set(['UND_ERR_BODY_TIMEOUT', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);

/** OpenSSL's certificate verification codes as Node reports them, and hostname mismatch. */
const CERTIFICATE_ERRORS: ReadonlySet<string> = new Set([
  'CERT_CHAIN_TOO_LONG',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'HOSTNAME_MISMATCH',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/**
 * Tells which kind of upstream failure a fetch (undici) rejection is, by its
 * shape only: `TypeError: fetch failed` with a `cause.code`, `TypeError:
 * terminated` when the body was cut, or the `TimeoutError` of
 * `AbortSignal.timeout`. Anything else (an `AbortError` the service chose, a
 * bug) is undefined.
 *
 * @example
 * try { await fetch(url, { signal: AbortSignal.timeout(2000) }); }
 * catch (failure) { fetchFailureKind(failure); } // 'connection-timeout'
 */
export function fetchFailureKind(thrown: unknown): FetchFailureKind | undefined {
  try {
    if (typeof thrown !== 'object' || thrown === null) return undefined;
    const { name, message } = thrown as { name?: unknown; message?: unknown };
    if (name === 'TimeoutError') return 'connection-timeout';
    // By name, not instanceof: fetch's errors may come from another realm (a vm context, a worker).
    if (name !== 'TypeError') return undefined;
    const code = causeCode((thrown as { cause?: unknown }).cause);
    if (message === 'fetch failed') return code === undefined ? undefined : kindOfCode(code);
    // undici rejects a body read cut short with "terminated": the answer had begun to arrive.
    if (message === 'terminated') return code === undefined ? undefined : 'received-error';
    return undefined;
  } catch {
    return undefined;
  }
}

function kindOfCode(code: string): FetchFailureKind | undefined {
  if (CONNECTION_FAILURES.has(code)) return 'connection-failure';
  if (CONNECTION_TIMEOUTS.has(code)) return 'connection-timeout';
  if (RECEIVED_ERRORS.has(code)) return 'received-error';
  if (CERTIFICATE_ERRORS.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) return 'required-ssl';
  return undefined;
}

/** The code of undici's cause; a connection tried on several addresses fails with an AggregateError. */
function causeCode(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const { code, errors } = cause as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const innerCode = causeCode(inner);
      if (innerCode !== undefined) return innerCode;
    }
  }
  return undefined;
}

/**
 * Builds, at start-up, a mapper from fetch (undici) failures to the
 * registry's network codes: `network_connection_failure`,
 * `network_connection_timeout`, `network_received_error` and
 * `network_required_ssl`. A kind whose code the registry lacks answers what
 * `normalize` makes of its fallback status (FETCH_FAILURE_FALLBACK_STATUS).
 * The thrown error is kept as `cause` for the log; nothing of it reaches the
 * client. Returns undefined for anything that is not a fetch failure.
 *
 * @example
 * const mapFetchFailure = fetchFailureMapper(passRegistry);
 * app.use((error, req, res, next) => next(mapFetchFailure(error) ?? error));
 */
export function fetchFailureMapper(registry: RegistryView, options: FetchFailureMapperOptions = {}): ErrorMapper {
  if (typeof registry !== 'object' || registry === null || typeof registry.create !== 'function') {
    throw new TypeError('fetchFailureMapper: registry must be a registry');
  }
  const { codes = {}, normalize = createNormalizer({ registry }) } = options;
  if (typeof codes !== 'object' || codes === null) throw new TypeError('fetchFailureMapper: codes option must be an object');
  if (typeof normalize !== 'function') throw new TypeError('fetchFailureMapper: normalize option must be a function');
  const chosen = new Map<FetchFailureKind, string>();
  for (const [kind, code] of Object.entries(codes)) {
    if (!Object.hasOwn(FETCH_FAILURE_CODES, kind)) {
      throw new TypeError(
        `fetchFailureMapper: codes option has unknown kind "${kind}" (known: ${Object.keys(FETCH_FAILURE_CODES).join(', ')})`,
      );
    }
    if (typeof code !== 'string' || !registry.has(code)) {
      throw new TypeError(`fetchFailureMapper: codes["${kind}"]: ${registry.name} has no code ${JSON.stringify(code)}`);
    }
    chosen.set(kind as FetchFailureKind, code);
  }
  for (const [kind, code] of Object.entries(FETCH_FAILURE_CODES) as [FetchFailureKind, string][]) {
    if (!chosen.has(kind) && registry.has(code)) chosen.set(kind, code);
  }

  return function mapFetchFailure(thrown: unknown): EnhancedError | undefined {
    const kind = fetchFailureKind(thrown);
    if (kind === undefined) return undefined;
    const code = chosen.get(kind);
    if (code !== undefined) return registry.create(code, { cause: thrown });
    return normalize(statusError(FETCH_FAILURE_FALLBACK_STATUS[kind], undefined, { cause: thrown }));
  };
}
