import { isErrorStatus } from '../../registry/validate';
import { BODY_PARSER_DETAILS, isBodyParserError } from '../body-parser-error';
import { statusError } from '../status-error';
import type { ErrorMapperFactory } from './types';

export { isBodyParserError };

/**
 * Codes for a body that could not be parsed (body-parser's `entity.parse.failed`),
 * most general last; the first the registry has with status 400 is used, else the
 * registry's code for a 400. Vimond's table has its own row for it.
 */
export const MALFORMED_BODY_CODES = ['invalid_request_body_1010'] as const;

/**
 * body-parser's errors keep their status (400, 413, 415…) and get a fixed
 * message as `details`, through the built-in normalization; a body that could
 * not be parsed answers the registry's malformed-body code when it has one
 * (MALFORMED_BODY_CODES).
 *
 * @example
 * enhancedErrorHandler({ builtInMappers: [bodyParserMapper] });
 */
export const bodyParserMapper: ErrorMapperFactory = (registry, normalize) => {
  const malformedBodyCode = MALFORMED_BODY_CODES.find((code) => registry.get(code)?.statuses.includes(400) === true);
  return (thrown) => {
    if (typeof thrown !== 'object' || thrown === null || !isBodyParserError(thrown)) return undefined;
    // The status as the built-in normalization reads it: `status`, else `statusCode`, 4xx only here.
    const { type, status: ownStatus, statusCode } = thrown as { type: string; status?: unknown; statusCode?: unknown };
    const status = isErrorStatus(ownStatus) ? ownStatus : isErrorStatus(statusCode) ? statusCode : undefined;
    if (status === undefined || status >= 500) return undefined;
    const details = BODY_PARSER_DETAILS[type] as string;
    if (type === 'entity.parse.failed' && status === 400 && malformedBodyCode !== undefined) {
      return registry.create(malformedBodyCode, { status, details, cause: thrown });
    }
    return normalize(statusError(status, details, { cause: thrown }));
  };
};
