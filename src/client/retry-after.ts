import { parseHttpDate } from './http-date';

/**
 * Reads a Retry-After header (RFC 9110 §10.2.3): delay-seconds, or an
 * HTTP-date in any of its three forms (IMF-fixdate, RFC 850, asctime), read
 * strictly. Anything else is undefined rather than guessed at, and so are
 * delay-seconds past 2^53 − 1, which no number holds exactly: the retrying
 * helpers wait `invalidRetryAfterMs` for such a value. `now` (default: the
 * current time) places a two-digit RFC 850 year in its century.
 *
 * @example
 * parseRetryAfter('120'); // 120 (seconds)
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT'); // a Date
 * parseRetryAfter('Wednesday, 21-Oct-26 07:28:00 GMT'); // the same Date
 * parseRetryAfter('Wed Oct 21 07:28:00 2026'); // the same Date
 * parseRetryAfter('soon'); // undefined
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | Date | undefined {
  if (value === null || value === undefined) return undefined;
  // A field value's own white space (OWS) is space and tab only.
  const text = value.replace(/^[ \t]+|[ \t]+$/g, '');
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  return parseHttpDate(text, now);
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
