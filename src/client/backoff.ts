import { retryAfterDelay } from './retry-after';
import type { ParsedResponse } from './types';

export interface RetryEvent {
  /** The attempt that failed (1 for the first request). */
  readonly attempt: number;
  /** How long the helper waits before the next attempt. */
  readonly delayMs: number;
  /** What the failed attempt's response said. */
  readonly response: ParsedResponse;
}

export interface RetryOptions {
  /** Attempts in all, the first one included. Default: 3. */
  maxAttempts?: number;
  /** The backoff before the first retry, doubled before each further one. Default: 250 ms. */
  baseDelayMs?: number;
  /** The longest backoff. Default: 10 s. */
  maxDelayMs?: number;
  /**
   * The longest wait a Retry-After header may ask for. A request is never
   * sent again before the server's Retry-After: when it asks for longer, the
   * helper gives up and returns the error. Default: 60 s.
   */
  maxRetryAfterMs?: number;
  /**
   * The wait when a response's Retry-After header cannot be read (neither
   * delay-seconds nor an HTTP-date, e.g. `120, 120` from a repeated header):
   * the server asked for a wait, so the short backoff would be too early.
   * The backoff is waited instead when it is longer; past `maxRetryAfterMs`
   * the helper gives up. Default: 30 s.
   */
  invalidRetryAfterMs?: number;
  /** Cancels the waits (and is handed to every request): the helper then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called before each wait, e.g. to log the retry. */
  onRetry?: (event: RetryEvent) => void;
  /** How to wait. Default: a timer that the signal cancels. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock an HTTP-date Retry-After is measured against. Default: Date.now. */
  now?: () => number;
  /** A number in [0, 1) for the jitter. Default: Math.random. */
  random?: () => number;
  /** Where the request id is read from; see parseEnhancedError. */
  requestIdHeaders?: readonly string[];
}

export const RETRY_DEFAULTS = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  invalidRetryAfterMs: 30_000,
} as const;

/** What one request of a retrying helper is told. */
export interface RetryAttempt {
  /** 1 for the first request. */
  readonly attempt: number;
  readonly signal?: AbortSignal;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly signal?: AbortSignal;
  /**
   * Waits before the attempt after `attempt`: the Retry-After header if any
   * (`invalidRetryAfterMs` for one that cannot be read), else backoff with
   * jitter. Resolves false, without waiting, when that wait is longer than
   * `maxRetryAfterMs`: then no retry may be sent.
   */
  wait(attempt: number, response: ParsedResponse): Promise<boolean>;
}

/** Checks the options once, so that a bad value fails at the call rather than mid-retry. */
export function retryPolicy(options: RetryOptions): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new TypeError(`maxAttempts must be a positive integer, got ${String(maxAttempts)}`);
  }
  const baseDelayMs = checkedDuration('baseDelayMs', options.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs);
  const maxDelayMs = checkedDuration('maxDelayMs', options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs);
  const maxRetryAfterMs = checkedDuration('maxRetryAfterMs', options.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs);
  const invalidRetryAfterMs = checkedDuration('invalidRetryAfterMs', options.invalidRetryAfterMs ?? RETRY_DEFAULTS.invalidRetryAfterMs);
  const { signal, onRetry, sleep = abortableSleep, now = Date.now, random = Math.random } = options;

  function delayAfter(attempt: number, response: ParsedResponse): number | undefined {
    if (response.retryAfter !== undefined) {
      const delay = retryAfterDelay(response.retryAfter, now());
      return delay <= maxRetryAfterMs ? delay : undefined;
    }
    // "Equal jitter": half the exponential delay, plus a random part of the other half.
    const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const backoff = Math.round(exponential / 2 + random() * (exponential / 2));
    if (response.invalidRetryAfter === undefined) return backoff;
    const delay = Math.max(invalidRetryAfterMs, backoff);
    return delay <= maxRetryAfterMs ? delay : undefined;
  }

  return {
    maxAttempts,
    signal,
    async wait(attempt, response) {
      signal?.throwIfAborted();
      const delayMs = delayAfter(attempt, response);
      if (delayMs === undefined) return false;
      onRetry?.({ attempt, delayMs, response });
      await sleep(delayMs, signal);
      signal?.throwIfAborted();
      return true;
    },
  };
}

/** Timers fire at once past this many milliseconds, so no wait may be longer. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

function checkedDuration(name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= LONGEST_TIMER_MS)) {
    throw new TypeError(`${name} must be from 0 to ${LONGEST_TIMER_MS} milliseconds, got ${String(value)}`);
  }
  return value;
}

/** A timer that an abort ends early, rejecting with the signal's reason as fetch does. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
