/**
 * The code the middleware around the handler (load shedding, rate limits,
 * upstream calls) answers for a status, resolved at start-up from the
 * handler's options so that it is a code of the registry in use.
 */
import createHttpError from 'http-errors';
import type { EnhancedError } from '../error/enhanced-error';
import type { RegistryView } from '../registry/registry';
import type { Normalize } from './normalize';

/**
 * What the handler answers for a thrown `status` (its statusCodes, its
 * mappers, the registry's own map, then its fallbacks). Throws, naming the
 * registry, when that is not a code of the registry with that status.
 */
export function errorForStatus(where: string, registry: RegistryView, normalize: Normalize, status: number): EnhancedError {
  const normalized = normalize(createHttpError(status));
  if (normalized.status !== status || registry.get(normalized.code)?.statuses.includes(status) !== true) {
    throw new TypeError(
      `${where}: ${registry.name} has no code for status ${status} (a thrown ${status} becomes ${normalized.status} ${normalized.code}): ` +
        `pass the code option, or map ${status} with the statusCodes option`,
    );
  }
  return normalized;
}
