import { statusError } from '../status-error';
import type { ErrorMapperFactory } from './types';

interface BoomShape {
  isBoom: true;
  message?: unknown;
  output: { statusCode: number; headers?: unknown; payload?: { error?: unknown } };
}

function isBoom(thrown: unknown): thrown is BoomShape {
  if (typeof thrown !== 'object' || thrown === null || (thrown as { isBoom?: unknown }).isBoom !== true) return false;
  const { output } = thrown as { output?: { statusCode?: unknown } };
  return typeof output === 'object' && output !== null && typeof output.statusCode === 'number';
}

/**
 * @hapi/boom errors keep their status (`output.statusCode`) and headers
 * (`output.headers`, e.g. WWW-Authenticate), through the built-in
 * normalization: a 4xx's own message becomes `details` (Boom sends it to
 * clients too), a 5xx's never leaves the server.
 *
 * @example
 * app.get('/me', () => { throw Boom.unauthorized('Token expired', 'Bearer'); });
 */
export const boomMapper: ErrorMapperFactory = (_registry, normalize) => (thrown) => {
  if (!isBoom(thrown)) return undefined;
  const { statusCode, headers, payload } = thrown.output;
  const status = statusCode >= 400 && statusCode <= 599 ? statusCode : 500;
  const message = typeof thrown.message === 'string' && thrown.message !== payload?.error ? thrown.message : undefined;
  const options = { headers: typeof headers === 'object' && headers !== null ? headers : undefined, cause: thrown };
  return normalize(statusError(status, status >= 500 ? undefined : message, options));
};
