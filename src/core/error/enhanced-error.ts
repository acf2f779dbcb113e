import { describe } from '../shared/describe';
import { isAction } from '../registry/actions';
import { isCode, isErrorStatus, isNonEmptyString, isRetryAfter } from '../registry/validate';
import type { Action, ErrorHeaders, RegistryEntry } from '../shared/types';
import { type FieldError, toFieldErrors } from './field-errors';

export type { ErrorHeaders } from '../shared/types';

export interface EnhancedErrorOptions<C extends string = string> {
  code: C;
  status: number;
  action: Action;
  message: string;
  details?: string;
  helpUrl?: string;
  /** Seconds (non-negative integer) or the moment after which a retry may succeed. */
  retryAfter?: number | Date;
  headers?: ErrorHeaders;
  /**
   * The request's fields that failed validation, at most MAX_FIELD_ERRORS
   * (the rest are counted in `omittedFields`). Only `pointer`, `path`,
   * `message` and `code` are kept.
   */
  fields?: readonly FieldError[];
  /** Field errors left out beyond those in `fields`, e.g. by a mapper that read only the first ones. */
  omittedFields?: number;
  cause?: unknown;
}

/**
 * Every error this copy's constructor built. Membership goes by identity, so
 * a Proxy of one, an object made from the prototype, or another copy's error
 * is not a member: a brand check any JavaScript runtime can make.
 */
const constructed = new WeakSet<object>();

/** Whether `value` is an error this copy's EnhancedError constructor built (not a Proxy of one). */
export function isConstructedHere(value: object): boolean {
  return constructed.has(value);
}

/**
 * A throwable Enhanced Error Code. Its own fields are what the route chose;
 * `entry` is the registry definition it came from, which supplies defaults:
 * its helpUrl comes after the handler's helpUrl option, its retryAfter before
 * the handler's default (a code's own delay is more specific than a service-wide one).
 *
 * @example
 * throw new EnhancedError({ code: 'quota_exceeded', status: 403, action: 'none', message: 'The monthly quota is used up.' });
 */
export class EnhancedError<C extends string = string> extends Error {
  readonly code: C;
  readonly status: number;
  readonly action: Action;
  readonly details?: string;
  readonly helpUrl?: string;
  readonly retryAfter?: number | Date;
  readonly headers?: ErrorHeaders;
  /** Frozen field errors of a validation failure; see EnhancedErrorOptions.fields. */
  readonly fields?: readonly FieldError[];
  /** How many field errors were left out of `fields`. */
  readonly omittedFields?: number;
  readonly entry?: RegistryEntry<C>;

  constructor(options: EnhancedErrorOptions<C>, entry?: RegistryEntry<C>) {
    assertOptions(options);
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.action = options.action;
    if (options.details !== undefined) this.details = options.details;
    if (options.helpUrl !== undefined) this.helpUrl = options.helpUrl;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.headers !== undefined) this.headers = options.headers;
    if (options.fields !== undefined) {
      const { fields, omitted } = toFieldErrors(options.fields, `EnhancedError(${options.code})`);
      const omittedFields = omitted + (options.omittedFields ?? 0);
      this.fields = fields;
      if (omittedFields > 0) this.omittedFields = omittedFields;
    }
    if (entry !== undefined) this.entry = entry;
    constructed.add(this);
  }

  /** http-errors compatible: 4xx messages are meant for the client, 5xx are not. */
  get expose(): boolean {
    return this.status < 500;
  }

  /** Same value as `status`, for code written against http-errors or Node's http module. */
  get statusCode(): number {
    return this.status;
  }
}

Object.defineProperty(EnhancedError.prototype, 'name', {
  value: 'EnhancedError',
  writable: true,
  configurable: true,
});

/**
 * Marks an EnhancedError of any copy of this package. Two copies in one
 * process (two versions, or a CommonJS and an ES module build) have two
 * EnhancedError classes, so `instanceof` cannot tell; `Symbol.for` gives
 * every copy the same key.
 */
export const ENHANCED_ERROR_BRAND: unique symbol = Symbol.for('express-enhanced-errors.EnhancedError') as never;

Object.defineProperty(EnhancedError.prototype, ENHANCED_ERROR_BRAND, { value: true });

/**
 * True for an EnhancedError made by this copy of the package or by any other.
 *
 * @example
 * if (isEnhancedError(err)) console.log(err.code, err.status);
 */
export function isEnhancedError(value: unknown): value is EnhancedError {
  if (value instanceof EnhancedError) return true;
  try {
    return typeof value === 'object' && value !== null && (value as { [ENHANCED_ERROR_BRAND]?: unknown })[ENHANCED_ERROR_BRAND] === true;
  } catch {
    return false;
  }
}

function assertOptions(options: EnhancedErrorOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('EnhancedError: options must be an object');
  }
  const { code, status, action, message, details, helpUrl, retryAfter, omittedFields } = options;
  if (!isCode(code)) throw new TypeError(`EnhancedError: code must be a snake_case string, got ${describe(code)}`);
  if (!isErrorStatus(status)) {
    throw new TypeError(`EnhancedError(${code}): status must be an integer from 400 to 599, got ${describe(status)}`);
  }
  if (!isAction(action)) throw new TypeError(`EnhancedError(${code}): unknown action ${describe(action)}`);
  if (!isNonEmptyString(message)) throw new TypeError(`EnhancedError(${code}): message must be a non-empty string`);
  if (details !== undefined && typeof details !== 'string') {
    throw new TypeError(`EnhancedError(${code}): details must be a string`);
  }
  if (helpUrl !== undefined && typeof helpUrl !== 'string') {
    throw new TypeError(`EnhancedError(${code}): helpUrl must be a string`);
  }
  if (retryAfter !== undefined && !isRetryAfter(retryAfter)) {
    throw new TypeError(`EnhancedError(${code}): retryAfter must be a non-negative integer of seconds or a valid Date`);
  }
  if (omittedFields !== undefined && !(Number.isSafeInteger(omittedFields) && omittedFields >= 0)) {
    throw new TypeError(`EnhancedError(${code}): omittedFields must be a non-negative integer`);
  }
}
