import { STATUS_PHRASES } from '../status-phrases';
import { isErrorStatus } from '../registry/validate';

/**
 * A thrown status as normalize reads it: the shape of an http-errors error
 * (`status`, `statusCode`, `expose`, `message`, `headers`), made without
 * http-errors, which needs Node's util through depd.
 */
export interface StatusError extends Error {
  readonly status: number;
  readonly statusCode: number;
  /** A 4xx message is meant for the client, a 5xx one is not. */
  readonly expose: boolean;
  readonly headers?: object;
}

/** As http-errors: a status without a reason phrase takes its class's (400's or 500's). */
function phraseOf(status: number): string {
  return STATUS_PHRASES[status] ?? (STATUS_PHRASES[status < 500 ? 400 : 500] as string);
}

/** `Not Found` → `NotFoundError`, `Internal Server Error` → `InternalServerError`, as http-errors names its errors. */
function nameOf(phrase: string): string {
  const identifier = phrase
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
    .replace(/[^ _0-9a-z]/gi, '');
  return identifier.endsWith('Error') ? identifier : `${identifier}Error`;
}

/**
 * An error of a 4xx/5xx status for normalize to answer, as http-errors'
 * `createError(status, message, { headers, cause })` makes it: the message
 * defaults to the status phrase (which normalize never sends as details).
 *
 * @example
 * normalize(statusError(405, 'This resource answers GET, HEAD.', { headers: { Allow: 'GET, HEAD' } }));
 */
export function statusError(
  status: number,
  message?: string,
  options: { readonly headers?: object; readonly cause?: unknown } = {},
): StatusError {
  if (!isErrorStatus(status)) throw new TypeError(`statusError: status must be an integer from 400 to 599, got ${String(status)}`);
  const phrase = phraseOf(status);
  const error = ('cause' in options ? new Error(message ?? phrase, { cause: options.cause }) : new Error(message ?? phrase)) as Error & {
    status: number;
    statusCode: number;
    expose: boolean;
    headers?: object;
  };
  Object.defineProperty(error, 'name', { value: nameOf(phrase), enumerable: false, writable: true, configurable: true });
  error.status = status;
  error.statusCode = status;
  error.expose = status < 500;
  if (options.headers !== undefined) error.headers = options.headers;
  return error;
}
