import createHttpError from 'http-errors';
import { isErrorStatus } from '../../registry/validate';
import { BODY_PARSER_DETAILS, isBodyParserError } from '../body-parser-error';
import type { ErrorMapperFactory } from './types';

export { isBodyParserError };

/**
 * body-parser's errors keep their status (400, 413, 415…) and get a fixed
 * message as `details`, through the built-in normalization.
 *
 * @example
 * enhancedErrorHandler({ builtInMappers: [bodyParserMapper] });
 */
export const bodyParserMapper: ErrorMapperFactory = (_registry, normalize) => (thrown) => {
  if (typeof thrown !== 'object' || thrown === null || !isBodyParserError(thrown)) return undefined;
  // The status as the built-in normalization reads it: `status`, else `statusCode`, 4xx only here.
  const { type, status: ownStatus, statusCode } = thrown as { type: string; status?: unknown; statusCode?: unknown };
  const status = isErrorStatus(ownStatus) ? ownStatus : isErrorStatus(statusCode) ? statusCode : undefined;
  if (status === undefined || status >= 500) return undefined;
  return normalize(createHttpError(status, BODY_PARSER_DETAILS[type] as string, { cause: thrown }));
};
