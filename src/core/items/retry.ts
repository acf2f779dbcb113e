import { DEFAULT_RETRY_AFTER } from '../envelope/envelope';
import { retryAfterSeconds } from '../envelope/retry-after';
import { isEnhancedError } from '../error/enhanced-error';
import { isRetryAfter } from '../registry/validate';

/** What to do about the failed items of one partial-success response. */
export interface RetryPlan<T> {
  /** The items to send again, in their order: those whose error's action is `retry` or `retry-after`. */
  readonly items: T[];
  /** Seconds to wait before sending them: the largest among the `retry-after` items; undefined when there are none. */
  readonly retryAfter: number | undefined;
}

export interface RetryPlanOptions {
  /**
   * Seconds for a `retry-after` item whose error names none. A client passes
   * the response's Retry-After header here, since item errors on the wire
   * carry no delay of their own. Default: 60.
   */
  retryAfter?: number;
  /** The current time in milliseconds, for Retry-After dates. Default: Date.now(). */
  now?: number;
}

/**
 * The spec asks clients to repeat only the items marked `retry` or
 * `retry-after`, not the whole list. Works on the items a route is about to
 * send (whose `error` is an EnhancedError, with its own Retry-After) and on
 * items parsed from a response (whose `error` is a plain object).
 *
 * @example
 * const plan = planRetry(body.resources, { retryAfter: 30 });
 * // plan.items: only those whose error says retry or retry-after; plan.retryAfter: seconds to wait
 */
export function planRetry<T>(items: readonly T[], options: RetryPlanOptions = {}): RetryPlan<T> {
  const fallback = options.retryAfter ?? DEFAULT_RETRY_AFTER;
  if (typeof fallback !== 'number' || !isRetryAfter(fallback)) {
    throw new TypeError('planRetry: retryAfter must be a non-negative integer of seconds');
  }
  const now = options.now ?? Date.now();
  const again: T[] = [];
  let retryAfter: number | undefined;
  for (const item of items) {
    const error = errorOf(item);
    const action = actionOf(error);
    if (action !== 'retry' && action !== 'retry-after') continue;
    again.push(item);
    if (action === 'retry-after') {
      const seconds = isEnhancedError(error) ? (retryAfterSeconds(error, fallback, now) ?? fallback) : fallback;
      retryAfter = Math.max(retryAfter ?? 0, seconds);
    }
  }
  return { items: again, retryAfter };
}

function errorOf(item: unknown): unknown {
  return typeof item === 'object' && item !== null ? (item as { error?: unknown }).error : undefined;
}

function actionOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { action?: unknown }).action : undefined;
}
