/**
 * Reads a Retry-After header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
 * Anything else is ignored rather than guessed at.
 *
 * @example
 * parseRetryAfter('120'); // 120 (seconds)
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT'); // a Date
 * parseRetryAfter('soon'); // undefined
 */
export function parseRetryAfter(value: string | null | undefined): number | Date | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  // An HTTP-date names its weekday; requiring letters keeps plain numbers like "1.5" out of Date.parse.
  if (!/^[A-Za-z]{3},/.test(trimmed)) return undefined;
  const time = Date.parse(trimmed);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/**
 * Milliseconds to wait from `now`; a date in the past means no wait.
 *
 * @example
 * const wait = retryAfterDelay(parseRetryAfter(response.headers.get('retry-after')) ?? 1, Date.now());
 */
export function retryAfterDelay(retryAfter: number | Date, now: number): number {
  return typeof retryAfter === 'number' ? retryAfter * 1000 : Math.max(0, retryAfter.getTime() - now);
}
