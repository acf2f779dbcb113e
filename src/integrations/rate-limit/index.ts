/**
 * express-rate-limit answered with Enhanced Error Codes. Nothing here imports
 * express-rate-limit: its request info and options are read by shape.
 */
import { type EnhancedError, isEnhancedError } from '../../core/error/enhanced-error';
import type { HttpRequest, HttpResponse, NextFunction } from '../../adapters/http';
import { errorForStatus } from '../../core/normalize/status-code';
import type { EnhancedErrorHandlerOptions } from '../../adapters/express/pipeline';
import { pipelineFor, registryCode, statusIfAllowed } from '../handler-options';

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

/**
 * The error handler's options (the same object: its registry, statusCodes and
 * mappers decide the code), plus what the limiter's answer needs.
 */
export interface RateLimitHandlerOptions extends EnhancedErrorHandlerOptions {
  /**
   * What the limiter's key counts: `'client'` (an IP, an API key: the default)
   * answers the code the handler answers for a thrown 429 (`too_many_requests`
   * in the Pass registries); `'user'` answers `user_rate_limit_exceeded` where
   * the registry has it, else that same code.
   */
  keyedBy?: 'client' | 'user';
  /** A code of the registry to answer instead (it should have the `retry-after` action). */
  code?: string;
  /** Sent as the error's details, e.g. which quota was exceeded. */
  details?: string;
}

/** The Pass code for a limit per user; a registry without it answers its code for 429. */
const USER_RATE_LIMIT_CODE = 'user_rate_limit_exceeded';

/**
 * A `handler` for express-rate-limit 8 that passes the registry's rate-limit
 * code to the error handler, with `Retry-After` set to the seconds until the
 * limiter's window resets (rounded up: never earlier than the limiter will
 * allow), or the limiter's own longer `Retry-After`. The limiter's
 * `RateLimit` and `RateLimit-Policy` headers stay on the response. Takes the
 * handler's options; the code is resolved and checked against the registry now.
 *
 * @example
 * const options = { registry: passRestV2Registry };
 * app.use(rateLimit({ windowMs: 60_000, limit: 100, standardHeaders: 'draft-8', handler: rateLimitHandler(options) }));
 * app.use(enhancedErrorHandler(options));
 */
export function rateLimitHandler(options: RateLimitHandlerOptions = {}): RateLimitExceededHandler {
  const where = 'rateLimitHandler';
  const { registry, normalize } = pipelineFor(where, options);
  const { keyedBy = 'client', details } = options;
  if (keyedBy !== 'client' && keyedBy !== 'user') throw new TypeError(`${where}: keyedBy option must be 'client' or 'user'`);
  if (details !== undefined && typeof details !== 'string') throw new TypeError(`${where}: details option must be a string`);
  const code =
    options.code !== undefined
      ? registryCode(where, registry, options.code, 'code')
      : keyedBy === 'user' && registry.has(USER_RATE_LIMIT_CODE)
        ? USER_RATE_LIMIT_CODE
        : errorForStatus(where, registry, normalize, 429).code;
  const status = statusIfAllowed(registry, code, 429);

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

/** The error handler's options (the same object), plus the guard's own. */
export interface RateLimitStoreGuardOptions extends EnhancedErrorHandlerOptions {
  /**
   * The code answered when the store fails. Default: the code the handler
   * answers for a thrown 503 (`service_unavailable` in the Pass registries,
   * `service_unavailable_1004` in Vimond's).
   */
  code?: string;
  /**
   * Milliseconds the limiter may take to decide before the request is
   * answered as if the store had failed. Default: no limit (bound the store
   * client's own timeouts instead).
   */
  timeoutMs?: number;
}

/**
 * Wraps an express-rate-limit middleware so that a failing store (Redis
 * down) answers the registry's 503 code (`service_unavailable`) instead of a
 * redacted 500; the store's error is kept as `cause` for the log. Errors the
 * limiter's handler passes on (an EnhancedError) go through untouched. To let
 * requests through when the store fails, use express-rate-limit's
 * `passOnStoreError: true` instead. Takes the handler's options; the code is
 * resolved and checked against the registry now.
 *
 * @example
 * const options = { registry: passRestV2Registry };
 * app.use(rateLimitStoreGuard(rateLimit({ store: new RedisStore({ sendCommand }), handler: rateLimitHandler(options) }), options));
 * app.use(enhancedErrorHandler(options));
 */
export function rateLimitStoreGuard<M extends RateLimitMiddleware>(limiter: M, options: RateLimitStoreGuardOptions = {}): M {
  const where = 'rateLimitStoreGuard';
  if (typeof limiter !== 'function') throw new TypeError(`${where}: limiter must be a middleware function`);
  const { registry, normalize } = pipelineFor(where, options);
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isSafeInteger(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError(`${where}: timeoutMs option must be a positive integer of milliseconds`);
  }
  const code =
    options.code !== undefined ? registryCode(where, registry, options.code, 'code') : errorForStatus(where, registry, normalize, 503).code;
  const status = statusIfAllowed(registry, code, 503);
  const unavailable = (cause: unknown): EnhancedError => registry.create(code, { status, cause });

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
