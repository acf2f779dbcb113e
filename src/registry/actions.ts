/**
 * The spec's restricted set of remediation actions. The set may grow in later
 * versions of the spec, so clients should keep unknown values as strings; a
 * server only emits these.
 */
export const ACTIONS = [
  'none',
  'configuration',
  'application-registration',
  'authentication',
  'authorization',
  'degradation',
  'retry',
  'retry-after',
] as const;

export type Action = (typeof ACTIONS)[number];

const actionSet: ReadonlySet<string> = new Set(ACTIONS);

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && actionSet.has(value);
}
