/**
 * The spec's restricted set of remediation actions. The set may grow in later
 * versions of the spec, so clients should keep unknown values as strings; a
 * server only emits these.
 */
import type { Action } from '../shared/types';

export type { Action } from '../shared/types';

export const ACTIONS = [
  'none',
  'configuration',
  'application-registration',
  'authentication',
  'authorization',
  'degradation',
  'retry',
  'retry-after',
] as const satisfies readonly Action[];

// Both ways: a new action in the type and not in the list fails to compile.
const everyActionListed: Action extends (typeof ACTIONS)[number] ? true : false = true;
void everyActionListed;

const actionSet: ReadonlySet<string> = new Set(ACTIONS);

/**
 * Whether a value is one of the spec's actions (`ACTIONS`).
 *
 * @example
 * isAction('retry-after'); // true
 * isAction('reboot'); // false
 */
export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && actionSet.has(value);
}
