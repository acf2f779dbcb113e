/**
 * The code the middleware around the handler (load shedding, rate limits,
 * upstream calls) answers for a status, resolved at start-up from the
 * handler's options so that it is a code of the registry in use.
 */
import type { EnhancedError } from '../error/enhanced-error';
import type { RegistryView } from '../registry/registry';
import type { Normalize } from './normalize';
import { statusError } from './status-error';

/**
 * What the handler answers for a thrown `status` (its mappers, then its
 * statusCodes, the registry's own map and its fallbacks; under strictCodes
 * 'map', a mapper's code of another registry becomes the registry's code for
 * its status). Throws, naming the registry and what a thrown `status` becomes,
 * when that is not a code of the registry with that status: only a mapper can
 * cause it, by moving the status or, under strictCodes 'keep', by answering a
 * code of another registry.
 */
export function errorForStatus(where: string, registry: RegistryView, normalize: Normalize, status: number): EnhancedError {
  const normalized = normalize(statusError(status));
  const answered = `a thrown ${status} is answered ${normalized.status} ${normalized.code}`;
  if (normalized.status !== status) {
    throw new TypeError(
      `${where}: ${answered} (a mapper changes its status), so ${registry.name} gives no code for status ${status}: ` +
        `pass the code option, or let the mappers leave a ${status} alone`,
    );
  }
  const entry = registry.get(normalized.code);
  if (entry?.statuses.includes(status) !== true) {
    const why =
      entry === undefined
        ? `which is not a code of ${registry.name} (strictCodes 'keep' sends a mapper's code as it is)`
        : `whose entry in ${registry.name} does not allow status ${status}`;
    throw new TypeError(`${where}: ${answered}, ${why}: pass the code option, or make the mapper answer a code of ${registry.name}`);
  }
  return normalized;
}
