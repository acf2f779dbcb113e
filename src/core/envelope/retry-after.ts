import type { EnhancedError, ErrorHeaders } from '../error/enhanced-error';

/** The Retry-After value in an http-errors style headers object, whatever the name's case. */
export function retryAfterInHeaders(headers: ErrorHeaders | undefined): string | number | undefined {
  if (headers === undefined) return undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'retry-after') return value;
  }
  return undefined;
}

/** A Retry-After value (delay-seconds or an HTTP-date) as seconds or a Date; undefined when it is neither. */
export function parseRetryAfter(value: string | number | undefined): number | Date | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text);
  // An HTTP-date names its weekday and GMT; Date.parse alone accepts far looser text.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/**
 * The Retry-After of an error response, in delay-seconds: the error's own
 * wait (its `retryAfter`, else a Retry-After in its headers), whatever its
 * action or status, since a wait reveals nothing; else, for a `retry-after`
 * error, the registry's, else `defaultSeconds`. A date counts the seconds
 * from `now` (default: the current time) to it, rounded up so that a client
 * never comes back early, and 0 once it has passed. Undefined when the
 * answer asks for no wait. Top-level and item responses both take it from here.
 */
export function retryAfterSeconds(error: EnhancedError, defaultSeconds: number, now?: number): number | undefined {
  const own = error.retryAfter ?? parseRetryAfter(retryAfterInHeaders(error.headers));
  if (own === undefined && error.action !== 'retry-after') return undefined;
  const value = own ?? error.entry?.retryAfter ?? defaultSeconds;
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? defaultSeconds : Math.max(0, Math.ceil((time - (now ?? Date.now())) / 1000));
  }
  return Number.isSafeInteger(value) && value >= 0 ? value : defaultSeconds;
}
