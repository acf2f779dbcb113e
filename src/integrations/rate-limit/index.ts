/**
 * express-rate-limit answered with Enhanced Error Codes. Nothing here imports
 * express-rate-limit: its request info and options are read by shape.
 */
import createError from 'http-errors';
import { passRegistry } from '../../catalogs/pass-registry';
import { type EnhancedError, isEnhancedError } from '../../error/enhanced-error';
import type { HttpRequest, HttpResponse, NextFunction } from '../../http';
import { createNormalizer, type Normalize } from '../../normalize/normalize';
import type { RegistryView } from '../../registry/registry';

/** What express-rate-limit puts on the request (`req.rateLimit` by default). */
export interface RateLimitInfo {
  limit: number;
  used: number;
  remaining: number;
  resetTime?: Date | undefined;
}

/** The part of express-rate-limit's options the handler reads (its 4th argument). */
export interface RateLimitOptionsUsed {
  windowMs?: number;
  requestPropertyName?: string;
}

/** A `handler` for express-rate-limit. */
export type RateLimitExceededHandler = (
  req: HttpRequest,
  res: HttpResponse,
  next: NextFunction,
  optionsUsed?: RateLimitOptionsUsed,
) => void;

export interface RateLimitHandlerOptions {
  /** Where the code comes from. Default: passRegistry. */
  registry?: RegistryView;
  /**
   * What the limiter's key counts: `'client'` (an IP, an API key: the default)
   * answers `too_many_requests`, `'user'` answers `user_rate_limit_exceeded`.
   */
  keyedBy?: 'client' | 'user';
  /** A code of the registry to answer instead (it should have the `retry-after` action). */
  code?: string;
  /** Sent as the error's details, e.g. which quota was exceeded. */
  details?: string;
}

const CODE_BY_KEY = { client: 'too_many_requests', user: 'user_rate_limit_exceeded' } as const;

/**
 * A `handler` for express-rate-limit 8 that passes the registry's rate-limit
 * code to the error handler, with `Retry-After` set to the seconds until the
 * limiter's window resets (rounded up: never earlier than the limiter will
 * allow), or the limiter's own longer `Retry-After`. The limiter's
 * `RateLimit` and `RateLimit-Policy` headers stay on the response. The
 * registry and code are checked now.
 *
 * @example
 * app.use(rateLimit({ windowMs: 60_000, limit: 100, standardHeaders: 'draft-8', handler: rateLimitHandler() }));
 * app.use(enhancedErrorHandler());
 */
export function rateLimitHandler(options: RateLimitHandlerOptions = {}): RateLimitExceededHandler {
  if (typeof options !== 'object' || options === null) throw new TypeError('rateLimitHandler: options must be an object');
  const registry = options.registry ?? passRegistry;
  assertRegistry('rateLimitHandler', registry);
  const { keyedBy = 'client', details } = options;
  if (keyedBy !== 'client' && keyedBy !== 'user') throw new TypeError(`rateLimitHandler: keyedBy option must be 'client' or 'user'`);
  if (details !== undefined && typeof details !== 'string') throw new TypeError('rateLimitHandler: details option must be a string');
  const code = options.code ?? CODE_BY_KEY[keyedBy];
  if (typeof code !== 'string' || !registry.has(code)) {
    throw new TypeError(
      `rateLimitHandler: ${registry.name} has no code ${JSON.stringify(code)}${options.code === undefined ? '; pass the code option' : ''} (code option)`,
    );
  }
  const entry = registry.get(code);
  const status = entry?.statuses.includes(429) ? 429 : undefined;

  return function enhancedRateLimitHandler(req, res, next, optionsUsed = {}) {
    const retryAfter = secondsUntilReset(req, res, optionsUsed);
    next(registry.create(code, { status, details, ...(retryAfter === undefined ? {} : { retryAfter }) }));
  };
}

function secondsUntilReset(req: HttpRequest, res: HttpResponse, optionsUsed: RateLimitOptionsUsed): number | undefined {
  const property = typeof optionsUsed.requestPropertyName === 'string' ? optionsUsed.requestPropertyName : 'rateLimit';
  const info = (req as unknown as Record<string, Partial<RateLimitInfo> | undefined>)[property];
  const resetTime = info?.resetTime;
  let seconds: number | undefined;
  if (resetTime instanceof Date && Number.isFinite(resetTime.getTime())) {
    seconds = Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000));
  } else if (typeof optionsUsed.windowMs === 'number' && Number.isFinite(optionsUsed.windowMs) && optionsUsed.windowMs > 0) {
    // A store that reports no reset time: the window is the longest the limiter can block.
    seconds = Math.ceil(optionsUsed.windowMs / 1000);
  }
  // The limiter's own Retry-After (its `retryAfter` option) wins when it asks for longer.
  const own = res.getHeader('retry-after');
  const ownSeconds = typeof own === 'number' ? own : typeof own === 'string' && /^\d+$/.test(own) ? Number(own) : undefined;
  if (ownSeconds !== undefined && Number.isSafeInteger(ownSeconds) && (seconds === undefined || ownSeconds > seconds)) return ownSeconds;
  return seconds;
}

/** express-rate-limit's middleware, or any middleware of that shape. */
export type RateLimitMiddleware = (req: never, res: never, next: NextFunction) => unknown;

export interface RateLimitStoreGuardOptions {
  /** Where the code comes from. Default: passRegistry. */
  registry?: RegistryView;
  /** The code answered when the store fails. Default: `service_unavailable` when the registry has it. */
  code?: string;
  /**
   * Makes the error when the registry has neither `code` nor
   * `service_unavailable`: it is given a 503 http-errors error. Pass the
   * error pipeline's normalizer. Default: `createNormalizer({ registry })`.
   */
  normalize?: Normalize;
  /**
   * Milliseconds the limiter may take to decide before the request is
   * answered as if the store had failed. Default: no limit (bound the store
   * client's own timeouts instead).
   */
  timeoutMs?: number;
}

/**
 * Wraps an express-rate-limit middleware so that a failing store (Redis
 * down) answers the registry's `service_unavailable` (503) instead of a
 * redacted 500; the store's error is kept as `cause` for the log. Errors the
 * limiter's handler passes on (an EnhancedError) go through untouched. To let
 * requests through when the store fails, use express-rate-limit's
 * `passOnStoreError: true` instead.
 *
 * @example
 * app.use(rateLimitStoreGuard(rateLimit({ store: new RedisStore({ sendCommand }), handler: rateLimitHandler() })));
 */
export function rateLimitStoreGuard<M extends RateLimitMiddleware>(limiter: M, options: RateLimitStoreGuardOptions = {}): M {
  if (typeof limiter !== 'function') throw new TypeError('rateLimitStoreGuard: limiter must be a middleware function');
  if (typeof options !== 'object' || options === null) throw new TypeError('rateLimitStoreGuard: options must be an object');
  const registry = options.registry ?? passRegistry;
  assertRegistry('rateLimitStoreGuard', registry);
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isSafeInteger(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError('rateLimitStoreGuard: timeoutMs option must be a positive integer of milliseconds');
  }
  if (options.code !== undefined && (typeof options.code !== 'string' || !registry.has(options.code))) {
    throw new TypeError(`rateLimitStoreGuard: ${registry.name} has no code ${JSON.stringify(options.code)} (code option)`);
  }
  if (options.normalize !== undefined && typeof options.normalize !== 'function') {
    throw new TypeError('rateLimitStoreGuard: normalize option must be a function');
  }
  const code = options.code ?? (registry.has('service_unavailable') ? 'service_unavailable' : undefined);
  const normalize = options.normalize ?? createNormalizer({ registry });
  const unavailable = (cause: unknown): EnhancedError => {
    if (code === undefined) return normalize(createError(503, { cause }));
    const entry = registry.get(code);
    return registry.create(code, { status: entry?.statuses.includes(503) ? 503 : undefined, cause });
  };

  const guarded = (req: HttpRequest, res: HttpResponse, next: NextFunction): void => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (error === undefined || error === null || typeof error === 'string' || isEnhancedError(error)) next(error);
      else next(unavailable(error));
    };
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => settle(new Error(`The rate limiter did not decide within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      // The limiter's own handler may answer without calling next, or the client may leave: nothing is left to do.
      const done = (): void => {
        settled = true;
        clearTimeout(timer);
      };
      res.once('finish', done);
      res.once('close', done);
    }
    try {
      (limiter as unknown as (req: HttpRequest, res: HttpResponse, next: NextFunction) => unknown)(req, res, settle);
    } catch (error) {
      settle(error);
    }
  };
  // Keeps the limiter's own methods (express-rate-limit's resetKey and getKey).
  return Object.assign(guarded, limiter) as unknown as M;
}

function assertRegistry(where: string, registry: unknown): asserts registry is RegistryView {
  const candidate = registry as Partial<RegistryView> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.create !== 'function' ||
    typeof candidate.has !== 'function'
  ) {
    throw new TypeError(`${where}: registry option must be a registry`);
  }
}
