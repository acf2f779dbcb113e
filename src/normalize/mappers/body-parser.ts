import createHttpError from 'http-errors';
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
  const { type, status } = thrown as { type: string; status?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  return normalize(createHttpError(status, BODY_PARSER_DETAILS[type] as string, { cause: thrown }));
};
