import type { FieldError } from '../../error/field-errors';
import { readFieldErrors, safeFieldMessage, toPointer, validationErrorBuilder } from './field-messages';
import type { ErrorMapperFactory } from './types';

interface JoiDetailShape {
  message?: unknown;
  path?: unknown;
  type?: unknown;
  context?: { value?: unknown; key?: unknown; label?: unknown; child?: unknown };
}

/** A Joi ValidationError: `isJoi` and a `details` list. */
function joiDetailsOf(value: unknown): readonly JoiDetailShape[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { isJoi, details } = value as { isJoi?: unknown; details?: unknown };
  if (isJoi !== true || !Array.isArray(details)) return undefined;
  return details.filter((detail): detail is JoiDetailShape => typeof detail === 'object' && detail !== null && Array.isArray(detail.path));
}

/**
 * celebrate's CelebrateError (what `isCelebrateError` accepts): an Error whose
 * `details` is a Map from request segment (`body`, `query`, `params`,
 * `headers`, `cookies`…) to the Joi ValidationError of that segment.
 */
function celebrateSegmentsOf(thrown: unknown): [segment: string, details: readonly JoiDetailShape[]][] | undefined {
  if (!(thrown instanceof Error)) return undefined;
  const { details } = thrown as { details?: unknown };
  if (!(details instanceof Map) || details.size === 0) return undefined;
  const segments: [string, readonly JoiDetailShape[]][] = [];
  for (const [segment, error] of details) {
    const joiDetails = joiDetailsOf(error);
    if (typeof segment !== 'string' || joiDetails === undefined) return undefined;
    segments.push([segment, joiDetails]);
  }
  return segments;
}

function toFieldError(segment: string, detail: JoiDetailShape): FieldError {
  const context = detail.context ?? {};
  let path = detail.path as readonly unknown[];
  const sent: unknown[] = [context.value];
  if (detail.type === 'object.unknown') {
    // The unknown key is the client's own word: the field named is its parent.
    path = path.slice(0, -1);
    sent.push(context.key, context.label, context.child);
  }
  const message = safeFieldMessage(detail.message, sent, detail.type === 'object.unknown' ? 'Unknown field.' : undefined);
  const code = typeof detail.type === 'string' ? { code: detail.type } : {};
  if (segment === 'body') return { pointer: toPointer(path), message, ...code };
  return { path: [segment, ...path.map(String)].join('.'), message, ...code };
}

/**
 * celebrate (Joi) validation failures, and a bare Joi ValidationError passed
 * to `next()` (its fields taken as body pointers).
 *
 * @example
 * app.post('/users', celebrate({ [Segments.BODY]: Joi.object({ email: Joi.string().email() }) }), handler);
 */
export const celebrateMapper: ErrorMapperFactory = (registry, normalize) => {
  const validationError = validationErrorBuilder(registry, normalize);
  return (thrown) => {
    const segments =
      celebrateSegmentsOf(thrown) ?? (joiDetailsOf(thrown) === undefined ? undefined : [['body', joiDetailsOf(thrown) ?? []] as const]);
    if (segments === undefined) return undefined;
    const pairs = segments.flatMap(([segment, details]) => details.map((detail) => [segment, detail] as const));
    const { fields, omitted } = readFieldErrors(pairs, ([segment, detail]) => toFieldError(segment, detail));
    if (fields.length === 0) return undefined;
    return validationError(fields, omitted, thrown);
  };
};
