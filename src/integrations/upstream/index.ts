/**
 * Relaying an upstream service's failed answer: what the end user can act on
 * is passed on, everything else becomes this service's own network error.
 */
import createError from 'http-errors';
import { passRegistry } from '../../catalogs/pass-registry';
import { parseEnhancedError } from '../../client/parse';
import type { ParsedResponse, ReceivedError, ResponseLike } from '../../client/types';
import type { EnhancedError } from '../../error/enhanced-error';
import { createNormalizer, type Normalize } from '../../normalize/normalize';
import { type Action, isAction } from '../../registry/actions';
import type { RegistryView } from '../../registry/registry';

/**
 * Actions about the end user's own situation, which this service's client can
 * act on as well as it could upstream's. `none`, `configuration`, `retry` and
 * `degradation` describe the upstream or its contract with this service.
 */
export const RELAYED_ACTIONS: readonly Action[] = Object.freeze([
  'authentication',
  'authorization',
  'application-registration',
  'retry-after',
]);

export interface UpstreamOptions {
  /** This service's registry. Default: passRegistry. */
  registry?: RegistryView;
  /** Upstream actions whose code is relayed when the registry has it. Default: RELAYED_ACTIONS. */
  relayActions?: readonly Action[];
  /**
   * The code for an upstream that failed in any other way (a 5xx, a body that
   * is not an Enhanced Error, a code or action not relayed). Default:
   * `network_received_error` when the registry has it.
   */
  failureCode?: string;
  /**
   * Makes the error when the registry has no failure code: it is given a 502
   * http-errors error. Pass the error pipeline's normalizer. Default:
   * `createNormalizer({ registry })`.
   */
  normalize?: Normalize;
  /** Names the upstream in the log. */
  upstream?: string;
}

/**
 * The upstream's answer, kept as the relayed error's `cause` so that the log
 * can quote its trace and request id to the upstream's support. Never sent.
 */
export class UpstreamError extends Error {
  readonly upstream?: string;
  readonly url?: string;
  readonly httpStatus: number;
  readonly requestId?: string;
  /** The upstream's error, when it sent one. */
  readonly received?: ReceivedError;
  readonly trace?: string;
  /** How the body was read: an Enhanced Error shape, or why not. */
  readonly parsed: ParsedResponse['kind'];

  constructor(parsed: ParsedResponse, url: string | undefined, upstream: string | undefined) {
    const received = parsed.kind === 'top-level' ? parsed.error : undefined;
    const what = received
      ? `${received.code} (${received.action})`
      : parsed.kind === 'not-enhanced'
        ? parsed.description
        : `a ${parsed.kind} answer`;
    super(`${upstream ?? 'The upstream service'} answered ${parsed.httpStatus}: ${what}`);
    this.httpStatus = parsed.httpStatus;
    this.parsed = parsed.kind;
    if (upstream !== undefined) this.upstream = upstream;
    if (url) this.url = url;
    if (parsed.requestId !== undefined) this.requestId = parsed.requestId;
    if (received !== undefined) this.received = received;
    if (received?.trace !== undefined) this.trace = received.trace;
  }
}
Object.defineProperty(UpstreamError.prototype, 'name', { value: 'UpstreamError', writable: true, configurable: true });

/** Turns one upstream response into the error to throw. Never rejects. */
export type UpstreamRelay = (response: ResponseLike & { readonly url?: string }) => Promise<EnhancedError>;

/**
 * Builds, at start-up, the relay that `fromUpstreamResponse` uses; the
 * options are checked now.
 *
 * @example
 * const relay = upstreamRelay({ registry, upstream: 'entitlements' });
 * const response = await fetch(url);
 * if (!response.ok) throw await relay(response);
 */
export function upstreamRelay(options: UpstreamOptions = {}): UpstreamRelay {
  if (typeof options !== 'object' || options === null) throw new TypeError('upstreamRelay: options must be an object');
  const registry = options.registry ?? passRegistry;
  if (typeof registry !== 'object' || registry === null || typeof registry.create !== 'function') {
    throw new TypeError('upstreamRelay: registry option must be a registry');
  }
  const relayActions = options.relayActions ?? RELAYED_ACTIONS;
  if (!Array.isArray(relayActions) || !relayActions.every(isAction)) {
    throw new TypeError('upstreamRelay: relayActions option must be a list of Enhanced Error actions');
  }
  const relayed: ReadonlySet<string> = new Set(relayActions);
  const { failureCode, upstream } = options;
  if (failureCode !== undefined && (typeof failureCode !== 'string' || !registry.has(failureCode))) {
    throw new TypeError(`upstreamRelay: ${registry.name} has no code ${JSON.stringify(failureCode)} (failureCode option)`);
  }
  if (options.normalize !== undefined && typeof options.normalize !== 'function') {
    throw new TypeError('upstreamRelay: normalize option must be a function');
  }
  if (upstream !== undefined && typeof upstream !== 'string') throw new TypeError('upstreamRelay: upstream option must be a string');
  const failure = failureCode ?? (registry.has('network_received_error') ? 'network_received_error' : undefined);
  const normalize = options.normalize ?? createNormalizer({ registry });

  return async function relay(response) {
    const parsed = await parseEnhancedError(response);
    const cause = new UpstreamError(parsed, typeof response.url === 'string' ? response.url : undefined, upstream);
    if (parsed.kind === 'top-level' && relayed.has(parsed.error.action)) {
      const { error } = parsed;
      const entry = registry.get(error.code);
      if (entry !== undefined && entry.action === error.action) {
        const status = [error.status, parsed.httpStatus].find((candidate) => entry.statuses.includes(candidate));
        return registry.create(error.code, {
          status,
          ...(error.details === undefined ? {} : { details: error.details }),
          ...(parsed.retryAfter === undefined ? {} : { retryAfter: parsed.retryAfter }),
          cause,
        });
      }
    }
    if (failure !== undefined) return registry.create(failure, { cause });
    return normalize(createError(502, { cause }));
  };
}

const relays = new WeakMap<UpstreamOptions, UpstreamRelay>();

/**
 * Turns an upstream service's failed fetch `Response` into an error to
 * throw. An upstream Enhanced Error whose action the end user can act on
 * (authentication, authorization, application-registration, retry-after) and
 * whose code this registry has (with the same action) is relayed with its
 * code, details and Retry-After; anything else (a 5xx, an unparsable body)
 * becomes the registry's `network_received_error` and says nothing of what
 * the upstream sent. The upstream's status, trace and request id are the
 * error's `cause` (an UpstreamError), for the log. Reads the body.
 *
 * @example
 * const response = await fetch(`${entitlements}/authorize`, { signal: AbortSignal.timeout(2000) });
 * if (!response.ok) throw await fromUpstreamResponse(response, { registry });
 */
export function fromUpstreamResponse(
  response: ResponseLike & { readonly url?: string },
  options: UpstreamOptions = {},
): Promise<EnhancedError> {
  let relay = relays.get(options);
  if (relay === undefined) {
    relay = upstreamRelay(options);
    relays.set(options, relay);
  }
  return relay(response);
}
