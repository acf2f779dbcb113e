/**
 * Relaying an upstream service's failed answer: what the end user can act on
 * is passed on, everything else becomes this service's own network error.
 */
import { parseEnhancedError } from '../../client/parse';
import type { ParsedResponse, ReceivedError, ResponseLike } from '../../client/types';
import type { EnhancedError } from '../../core/error/enhanced-error';
import { errorForStatus } from '../../core/normalize/status-code';
import type { EnhancedErrorHandlerOptions } from '../../adapters/express/pipeline';
import { type Action, isAction } from '../../core/registry/actions';
import { pipelineFor, registryCode, statusIfAllowed } from '../handler-options';

/** The spec's code for an upstream answer this service cannot pass on. */
const RECEIVED_ERROR_CODE = 'network_received_error';

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

/** The error handler's options (the same object: its registry, statusCodes and mappers), plus the relay's own. */
export interface UpstreamOptions extends EnhancedErrorHandlerOptions {
  /** Upstream actions whose code is relayed when the registry has it. Default: RELAYED_ACTIONS. */
  relayActions?: readonly Action[];
  /**
   * The code for an upstream that failed in any other way (a 5xx, a body that
   * is not an Enhanced Error, a code or action not relayed). Default:
   * `network_received_error` when the registry has it, else the code the
   * handler answers for a thrown 502 (sent with status 502).
   */
  failureCode?: string;
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
 * Builds, at start-up, the relay that `fromUpstreamResponse` uses. Takes the
 * handler's options (pass the same object); they are checked now, and the
 * failure code is resolved and checked against the registry.
 *
 * @example
 * const options = { registry: passRestV2Registry };
 * const relay = upstreamRelay({ ...options, upstream: 'entitlements' });
 * app.get('/authorize', async (req, res) => {
 *   const response = await fetch(url);
 *   if (!response.ok) throw await relay(response);
 *   res.json(await response.json());
 * });
 * app.use(enhancedErrorHandler(options));
 */
export function upstreamRelay(options: UpstreamOptions = {}): UpstreamRelay {
  const where = 'upstreamRelay';
  const { registry, normalize } = pipelineFor(where, options);
  const relayActions = options.relayActions ?? RELAYED_ACTIONS;
  if (!Array.isArray(relayActions) || !relayActions.every(isAction)) {
    throw new TypeError(`${where}: relayActions option must be a list of Enhanced Error actions`);
  }
  const relayed: ReadonlySet<string> = new Set(relayActions);
  const { failureCode, upstream } = options;
  if (upstream !== undefined && typeof upstream !== 'string') throw new TypeError(`${where}: upstream option must be a string`);
  const failure =
    failureCode !== undefined
      ? registryCode(where, registry, failureCode, 'failureCode')
      : registry.has(RECEIVED_ERROR_CODE)
        ? RECEIVED_ERROR_CODE
        : errorForStatus(where, registry, normalize, 502).code;
  const failureStatus = statusIfAllowed(registry, failure, 502);

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
    return registry.create(failure, { status: failureStatus, cause });
  };
}

const relays = new WeakMap<UpstreamOptions, UpstreamRelay>();

/**
 * Turns an upstream service's failed fetch `Response` into an error to
 * throw. An upstream Enhanced Error whose action the end user can act on
 * (authentication, authorization, application-registration, retry-after) and
 * whose code this registry has (with the same action) is relayed with its
 * code, details and Retry-After; anything else (a 5xx, an unparsable body)
 * becomes the registry's `network_received_error` (else its code for a 502)
 * and says nothing of what the upstream sent. The upstream's status, trace
 * and request id are the error's `cause` (an UpstreamError), for the log.
 * Reads the body. Takes the handler's options, checked the first time an
 * options object is used: pass the same object each time.
 *
 * @example
 * const response = await fetch(`${entitlements}/authorize`, { signal: AbortSignal.timeout(2000) });
 * if (!response.ok) throw await fromUpstreamResponse(response, handlerOptions);
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
