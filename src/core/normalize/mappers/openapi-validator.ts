import { statusError } from '../status-error';
import type { FieldError } from '../../error/field-errors';
import { readFieldErrors, safeFieldMessage, toPointer, validationErrorBuilder } from './field-messages';
import type { ErrorMapperFactory } from './types';

interface OpenApiErrorShape {
  path?: unknown;
  message?: unknown;
  errorCode?: unknown;
}

/** express-openapi-validator 5's HttpError: a 4xx/5xx `status`, a `name`, and an `errors` list of `{ path, message }`. */
function openApiErrorOf(thrown: unknown): { status: number; errors: readonly OpenApiErrorShape[]; headers: unknown } | undefined {
  if (!(thrown instanceof Error)) return undefined;
  const { status, errors, path, headers } = thrown as { status?: unknown; errors?: unknown; path?: unknown; headers?: unknown };
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599 || !Array.isArray(errors)) return undefined;
  if (path !== undefined && typeof path !== 'string') return undefined;
  const shaped = errors.filter((error): error is OpenApiErrorShape => typeof error === 'object' && error !== null && 'message' in error);
  if (shaped.length !== errors.length) return undefined;
  return { status, errors: shaped, headers };
}

function isValidatorEntry(error: OpenApiErrorShape): boolean {
  return typeof error.path === 'string' && typeof error.message === 'string';
}

/**
 * A path such as `/body/items/0/name` (or `.body.items[0].name`): the body's
 * fields become pointers, the others `query.limit`, `params.id`, `headers.x-key`.
 */
function toFieldError(error: OpenApiErrorShape): FieldError {
  const segments = (typeof error.path === 'string' ? error.path : '')
    .split(/[/.]|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '');
  const [location = 'request', ...rest] = segments;
  const message = String(error.message ?? '');
  const code = typeof error.errorCode === 'string' ? { code: error.errorCode } : {};
  // "Unknown query parameter 'x'" names what the client sent: the location alone is named.
  if (/^Unknown (query )?parameter/i.test(message)) return { path: location, message: 'Unknown parameter.', ...code };
  // An additional property's path ends with the client's own key: its parent is named instead.
  if (typeof error.errorCode === 'string' && error.errorCode.startsWith('additionalProperties')) rest.pop();
  const safe = safeFieldMessage(error.message, []);
  if (location === 'body') return { pointer: toPointer(rest), message: safe, ...code };
  return { path: [location, ...rest].join('.'), message: safe, ...code };
}

/**
 * express-openapi-validator 5: a 400 is a validation failure with one field
 * error per entry of its `errors`; any other status (404, 405 with its Allow
 * header, 415…) goes through the built-in normalization, without the
 * validator's message, which can name what the client sent.
 *
 * @example
 * app.use(OpenApiValidator.middleware({ apiSpec: './openapi.yaml' }));
 */
export const openApiValidatorMapper: ErrorMapperFactory = (registry, normalize) => {
  const validationError = validationErrorBuilder(registry, normalize);
  return (thrown) => {
    const error = openApiErrorOf(thrown);
    if (error === undefined) return undefined;
    // Only the validator's own entries (a string path and message each) become field errors: another
    // error with a 400 status and an `errors` list (an aggregate of internal errors) must not show them.
    if (error.status === 400 && error.errors.length > 0 && error.errors.every(isValidatorEntry)) {
      const { fields, omitted } = readFieldErrors(error.errors, toFieldError);
      return validationError(fields, omitted, thrown);
    }
    const headers = typeof error.headers === 'object' && error.headers !== null ? error.headers : undefined;
    return normalize(statusError(error.status, undefined, { headers, cause: thrown }));
  };
};
