import type { FieldError } from '../../error/field-errors';
import { readFieldErrors, safeFieldMessage, toPointer, validationErrorBuilder } from './field-messages';
import type { ErrorMapperFactory } from './types';

/** express-validator 7's ValidationError union, as far as it is read here. */
interface ValidatorErrorShape {
  type?: unknown;
  location?: unknown;
  path?: unknown;
  value?: unknown;
  msg?: unknown;
  /** `alternative`: a list; `alternative_grouped`: a list of lists. */
  nestedErrors?: unknown;
  /** `unknown_fields`: the fields the client sent that no chain knows. */
  fields?: unknown;
}

/**
 * A `Result` of `validationResult(req)`, or what its `throw()` throws: an
 * Error with the Result's `errors` and its methods bound onto it.
 */
function validatorErrorsOf(thrown: unknown): readonly ValidatorErrorShape[] | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { errors, array, mapped, isEmpty, formatWith } = thrown as Record<string, unknown>;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  if (typeof array !== 'function' || typeof mapped !== 'function' || typeof isEmpty !== 'function' || typeof formatWith !== 'function') {
    return undefined;
  }
  return errors.filter((error): error is ValidatorErrorShape => typeof error === 'object' && error !== null);
}

/** `items[0].name` in the body is `/items/0/name`; elsewhere `query.limit`. */
function where(location: unknown, path: unknown): Pick<FieldError, 'pointer' | 'path'> {
  const fieldPath = typeof path === 'string' ? path : '';
  if (location === 'body')
    return { pointer: toPointer(fieldPath.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '')) };
  const place = typeof location === 'string' && location !== '' ? location : 'request';
  return { path: fieldPath === '' ? place : `${place}.${fieldPath}` };
}

function toFieldErrors(error: ValidatorErrorShape): FieldError[] {
  switch (error.type) {
    case 'alternative':
    case 'alternative_grouped': {
      const nested = Array.isArray(error.nestedErrors) ? (error.nestedErrors as unknown[]).flat() : [];
      return nested.filter((each): each is ValidatorErrorShape => typeof each === 'object' && each !== null).flatMap(toFieldErrors);
    }
    case 'unknown_fields': {
      // The unknown fields' names are the client's own words: only their locations are named.
      const fields = Array.isArray(error.fields) ? (error.fields as ValidatorErrorShape[]) : [];
      const locations = [...new Set(fields.map((field) => (typeof field?.location === 'string' ? field.location : 'request')))];
      const sent = fields.flatMap((field) => [field?.path, field?.value]);
      return locations.map((location) => ({
        ...where(location, ''),
        message: safeFieldMessage(error.msg, sent, 'Unknown fields.'),
        code: 'unknown_fields',
      }));
    }
    default:
      // The rejected `value` is never copied; a message that quotes it is replaced.
      return [{ ...where(error.location, error.path), message: safeFieldMessage(error.msg, [error.value]) }];
  }
}

/**
 * express-validator 7: what `validationResult(req).throw()` throws, or a
 * `Result` passed to `next()`. One field error per failed field; the value
 * the client sent is left behind.
 *
 * @example
 * app.post('/users', body('email').isEmail(), (req, res) => { validationResult(req).throw(); res.sendStatus(201); });
 */
export const expressValidatorMapper: ErrorMapperFactory = (registry, normalize) => {
  const validationError = validationErrorBuilder(registry, normalize);
  return (thrown) => {
    const errors = validatorErrorsOf(thrown);
    if (errors === undefined) return undefined;
    const { fields, omitted } = readFieldErrors(errors, toFieldErrors);
    if (fields.length === 0) return undefined;
    return validationError(fields, omitted, thrown);
  };
};
