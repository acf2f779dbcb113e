/**
 * Shared field checks. Registries run them once at start-up; the error
 * constructor runs them when a route builds an ad-hoc error; normalize runs
 * them on whatever reached the handler.
 */

const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

export function isErrorStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}

export function isCode(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 128 && SNAKE_CASE.test(value);
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Seconds as a non-negative integer, or a valid Date. */
export function isRetryAfter(value: unknown): value is number | Date {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** The longest helpUrl accepted anywhere; the handler's `limits.helpUrl` may lower it. */
export const MAX_HELP_URL_LENGTH = 2048;

/** Characters no format can carry unchanged: XML has no lone surrogates and no U+FFFE/U+FFFF. */
const NOT_CARRIED = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * An absolute http(s) URL with no white space or control characters. The URL
 * parser silently drops tabs and newlines, so they are refused before parsing.
 */
export function isHelpUrl(value: unknown, maxLength: number = MAX_HELP_URL_LENGTH): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) return false;
  if (/[\u0000-\u0020\u007f-\u009f]/.test(value) || NOT_CARRIED.test(value)) return false;
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}
