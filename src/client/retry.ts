import { type RetryAttempt, type RetryOptions, retryPolicy } from './backoff';
import { isRetryableAction } from './classify';
import { checkedParseOptions, parseEnhancedError } from './parse';
import type { ParsedResponse, ResponseLike } from './types';

export interface RetryResult<R extends ResponseLike> {
  /** The last response. Its body is unread when it succeeded (status below 400), read otherwise. */
  readonly response: R;
  /** What the last response said, when it failed. */
  readonly error?: ParsedResponse;
  /** Requests sent. */
  readonly attempts: number;
}

/**
 * Sends a request, and sends it again while it fails with a top-level error
 * whose action is `retry` or `retry-after`, up to `maxAttempts`. Any other
 * failure is returned at once, and so is a retry the server asks to wait
 * longer for than `maxRetryAfterMs`; a network error or an abort rejects.
 *
 * @example
 * const { response, error } = await withRetry(({ signal }) => fetch(url, { signal }));
 */
export async function withRetry<R extends ResponseLike>(
  send: (attempt: RetryAttempt) => Promise<R>,
  options: RetryOptions = {},
): Promise<RetryResult<R>> {
  const policy = retryPolicy(options);
  const parseOptions = checkedParseOptions(options);
  for (let attempt = 1; ; attempt += 1) {
    policy.signal?.throwIfAborted();
    const response = await send({ attempt, signal: policy.signal });
    if (response.status < 400) return { response, attempts: attempt };
    const error = await parseEnhancedError(response, parseOptions);
    if (attempt >= policy.maxAttempts || !isRetryableResponse(error)) return { response, error, attempts: attempt };
    // A server that asks for a longer wait than maxRetryAfterMs gets no early retry: its error is the answer.
    if (!(await policy.wait(attempt, error))) return { response, error, attempts: attempt };
  }
}

/** A top-level error that asks for a retry. */
export function isRetryableResponse(response: ParsedResponse): boolean {
  return response.kind === 'top-level' && isRetryableAction(response.error.action);
}
