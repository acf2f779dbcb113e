import { type EnhancedError, isEnhancedError } from '../error/enhanced-error';
import type { Normalize } from './normalize';

/** The errors of one response. */
export interface ResponseErrors {
  /** Every error, in the order thrown. */
  readonly errors: readonly [EnhancedError, ...EnhancedError[]];
  /**
   * Sets the status and headers, and is the one error of formats that write
   * only one: the first server error, else the first error.
   */
  readonly primary: EnhancedError;
}

export const MAX_AGGREGATE_ERRORS = 100;

/**
 * Several errors answered at once: an AggregateError whose `errors` are all
 * EnhancedErrors. Any other AggregateError is an ordinary thrown error (a
 * failure of `Promise.any`, say), redacted like any other.
 */
function enhancedErrorsOf(thrown: unknown): readonly EnhancedError[] | undefined {
  try {
    // Inside the try: `instanceof` runs a Proxy's getPrototypeOf trap, and throws on a revoked Proxy.
    if (!(thrown instanceof AggregateError)) return undefined;
    // Copied once, so that no getter of the thrown value runs twice.
    // At most MAX_AGGREGATE_ERRORS, so that the body stays bounded whatever was thrown.
    const errors: unknown[] = Array.isArray(thrown.errors) ? thrown.errors.slice(0, MAX_AGGREGATE_ERRORS) : [];
    return errors.length > 0 && errors.every(isEnhancedError) ? (errors as EnhancedError[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Normalizes what was thrown into the errors of one response. Never throws.
 * `responseStatus` (the route's `res.statusCode`) is the status of a thrown
 * value that carries none.
 */
export function normalizeResponseErrors(normalize: Normalize, thrown: unknown, responseStatus?: number): ResponseErrors {
  const [first, ...rest]: readonly unknown[] = enhancedErrorsOf(thrown) ?? [thrown];
  const errors: [EnhancedError, ...EnhancedError[]] = [normalize(first, responseStatus), ...rest.map((each) => normalize(each))];
  return { errors, primary: errors.find((error) => error.status >= 500) ?? errors[0] };
}
