import { createHash } from 'node:crypto';
import { describe } from '../core/shared/describe';
import { ACTIONS, isAction } from '../core/registry/actions';
import { isRegistryView, type RegistryView } from '../core/registry/registry';
import { isErrorStatus } from '../core/registry/validate';
import type { Action, CodeOrigin } from '../core/shared/types';

/** The `kind` every lock file carries, so that another JSON file is never taken for one. */
export const LOCK_KIND = 'express-enhanced-errors/registry-lock';

/** The lock format this version writes and reads. */
export const LOCKFILE_VERSION = 1;

/** What a client may rely on of one code, as the lock records it. */
export interface LockedCode {
  readonly action: Action;
  /** The default status: the one an error gets when its route names none. */
  readonly status: number;
  /** Every allowed status, ascending. */
  readonly statuses: readonly number[];
  readonly origin: CodeOrigin;
  /** SHA-256 (hex) of the message's UTF-8 text in the registry's default locale. */
  readonly messageSha256: string;
}

/** A registry's codes as they were when the lock was written. */
export interface RegistryLock {
  readonly kind: typeof LOCK_KIND;
  readonly lockfileVersion: typeof LOCKFILE_VERSION;
  readonly codes: { readonly [code: string]: LockedCode };
}

const CODE_FIELDS = ['action', 'messageSha256', 'origin', 'status', 'statuses'] as const satisfies readonly (keyof LockedCode)[];
const LOCK_FIELDS = ['codes', 'kind', 'lockfileVersion'] as const satisfies readonly (keyof RegistryLock)[];

/**
 * The lock of a registry: every code with its action, default and allowed
 * statuses, origin and the hash of its message. Write it with `lockText`.
 *
 * @example
 * const lock = registryLock(passRegistry);
 * lock.codes.too_many_requests; // { action: 'retry-after', status: 429, statuses: [429], origin: 'catalog', messageSha256: '…' }
 */
export function registryLock(registry: RegistryView): RegistryLock {
  if (!isRegistryView(registry)) throw new TypeError(`registryLock: expected a registry, got ${describe(registry)}`);
  const codes = [...registry]
    .map((entry): [string, LockedCode] => [
      entry.code,
      {
        action: entry.action,
        status: entry.status,
        statuses: [...entry.statuses].sort((a, b) => a - b),
        origin: entry.origin ?? 'catalog',
        messageSha256: createHash('sha256').update(entry.message, 'utf8').digest('hex'),
      },
    ])
    .sort(byKey);
  return { kind: LOCK_KIND, lockfileVersion: LOCKFILE_VERSION, codes: Object.fromEntries(codes) };
}

/**
 * The lock as a file's text: JSON, every object's keys sorted, two-space
 * indent, a final newline. The same registry always gives the same bytes,
 * whatever the order of its definitions and whatever the platform.
 *
 * @example
 * writeFileSync('errors.lock.json', lockText(registryLock(registry)));
 */
export function lockText(lock: RegistryLock): string {
  return `${canonicalJson(checkedLock(lock, 'lockText'))}\n`;
}

/**
 * Reads a lock file's text, checking its format: a file that is not JSON,
 * not a registry lock, of another lockfileVersion or malformed throws an
 * error that names `source` and says what is wrong.
 *
 * @example
 * const lock = readLock(readFileSync('errors.lock.json', 'utf8'), 'errors.lock.json');
 */
export function readLock(text: string, source = 'lock'): RegistryLock {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return checkedLock(parsed, source);
}

/** `value` when it is a lock of this format; else an error naming `source` and the first fault. */
export function checkedLock(value: unknown, source: string): RegistryLock {
  const lock = value as Partial<Record<keyof RegistryLock, unknown>> | null;
  if (typeof lock !== 'object' || lock === null || Array.isArray(lock) || lock.kind !== LOCK_KIND) {
    throw new TypeError(`${source} is not a registry lock: it lacks "kind": "${LOCK_KIND}"`);
  }
  if (lock.lockfileVersion !== LOCKFILE_VERSION) {
    throw new TypeError(
      `${source}: lockfileVersion ${describe(lock.lockfileVersion)} is not supported (this version reads ${LOCKFILE_VERSION})`,
    );
  }
  checkFields(lock, LOCK_FIELDS, source);
  const { codes } = lock;
  if (typeof codes !== 'object' || codes === null || Array.isArray(codes)) throw new TypeError(`${source}: "codes" must be an object`);
  for (const [code, locked] of Object.entries(codes)) checkLockedCode(locked, `${source}: codes.${code}`);
  return lock as RegistryLock;
}

function checkLockedCode(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${where} must be an object`);
  checkFields(value, CODE_FIELDS, where);
  const { action, status, statuses, origin, messageSha256 } = value as Record<keyof LockedCode, unknown>;
  if (!isAction(action)) throw new TypeError(`${where}.action must be one of ${ACTIONS.join(', ')}, got ${describe(action)}`);
  if (!isErrorStatus(status)) throw new TypeError(`${where}.status must be a 4xx/5xx status, got ${describe(status)}`);
  const ascending =
    Array.isArray(statuses) && statuses.every((each, index) => isErrorStatus(each) && (index === 0 || each > statuses[index - 1]));
  if (!ascending || !statuses.includes(status)) {
    throw new TypeError(`${where}.statuses must be 4xx/5xx statuses in ascending order, the default status among them`);
  }
  if (origin !== 'catalog' && origin !== 'library')
    throw new TypeError(`${where}.origin must be "catalog" or "library", got ${describe(origin)}`);
  if (typeof messageSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(messageSha256)) {
    throw new TypeError(`${where}.messageSha256 must be a SHA-256 in lowercase hex`);
  }
}

/** Exactly `fields`: a missing field, or one this version does not know, is a malformed lock. */
function checkFields(value: object, fields: readonly string[], where: string): void {
  const missing = fields.filter((field) => !Object.hasOwn(value, field));
  const unknown = Object.keys(value).filter((field) => !fields.includes(field));
  if (missing.length > 0) throw new TypeError(`${where}: missing ${missing.map((field) => `"${field}"`).join(', ')}`);
  if (unknown.length > 0) throw new TypeError(`${where}: unknown field ${unknown.map((field) => `"${field}"`).join(', ')}`);
}

/**
 * JSON.stringify's two-space layout with every object's keys in UTF-16
 * code-unit order. Written out rather than left to JSON.stringify, which
 * puts integer-like keys first whatever the order.
 */
function canonicalJson(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  const block = (open: string, lines: string[], close: string) =>
    lines.length === 0 ? `${open}${close}` : `${open}\n${lines.join(',\n')}\n${indent}${close}`;
  if (Array.isArray(value))
    return block(
      '[',
      value.map((item) => `${inner}${canonicalJson(item, inner)}`),
      ']',
    );
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(byKey);
    return block(
      '{',
      entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${canonicalJson(item, inner)}`),
      '}',
    );
  }
  return JSON.stringify(value);
}

/** Entries by key in UTF-16 code-unit order: the same on every platform and locale. */
function byKey([a]: readonly [string, unknown], [b]: readonly [string, unknown]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
