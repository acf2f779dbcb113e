import type { FieldError } from '../../error/field-errors';
import { readFieldErrors, safeFieldMessage, toPointer, validationErrorBuilder } from './field-messages';
import type { ErrorMapperFactory } from './types';

/**
 * One issue of a Standard Schema failure (https://standardschema.dev), as far
 * as it is read here. valibot, arktype and zod issues all fit; the other
 * members read are the libraries' own.
 */
export interface StandardSchemaIssue {
  readonly message: string;
  /** Keys from the value parsed down to the field: `PropertyKey`s, or `{ key }` segments (valibot). */
  readonly path?: readonly unknown[];
}

/** Where the value parsed came from, when the failure says so: undefined for a body (or a value of unknown origin). */
export type StandardSchemaLocation = 'query' | 'params' | 'headers' | 'cookies';

/** A recognized Standard Schema failure: its issues and, when known, where the value parsed came from. */
export interface StandardSchemaFailure {
  readonly issues: readonly StandardSchemaIssue[];
  readonly location?: StandardSchemaLocation;
}

/** @hono/standard-validator's targets that are not a body. */
const LOCATION_OF_TARGET: Readonly<Record<string, StandardSchemaLocation>> = Object.freeze({
  query: 'query',
  param: 'params',
  header: 'headers',
  cookie: 'cookies',
});

function isPathSegment(segment: unknown): boolean {
  return ['string', 'number', 'symbol'].includes(typeof segment) || (typeof segment === 'object' && segment !== null);
}

function isIssue(issue: unknown): issue is StandardSchemaIssue {
  if (typeof issue !== 'object' || issue === null) return false;
  const { message, path } = issue as { message?: unknown; path?: unknown };
  return typeof message === 'string' && (path === undefined || (Array.isArray(path) && path.every(isPathSegment)));
}

/** `issues`: a non-empty list of issues, every one well-formed, else undefined. */
function issuesOf(holder: unknown): readonly StandardSchemaIssue[] | undefined {
  if (typeof holder !== 'object' || holder === null) return undefined;
  const { issues } = holder as { issues?: unknown };
  return Array.isArray(issues) && issues.length > 0 && issues.every(isIssue) ? issues : undefined;
}

/**
 * Recognizes a Standard Schema validation failure by its shape, or returns
 * undefined. Recognized: a value with `issues` (a non-empty list of
 * `{ message: string, path?: (PropertyKey | { key })[] }`): a failure result
 * of `schema['~standard'].validate()`, valibot's `ValiError`, arktype's
 * `ArkErrors`; an Error with `arkErrors` (arktype's `TraversalError`, from
 * `.assert()` or `.throw()`); and the result @hono/standard-validator passes
 * its hook, `{ success: false, error: issues, target }` (its `target` gives
 * the location). A value with a `status` or `statusCode` of its own is left
 * to the normalization, which answers that status. Never throws on a value
 * it can read.
 *
 * @example
 * const failure = standardSchemaFailureOf(await schema['~standard'].validate(input));
 * // { issues: [{ message: 'Invalid type', path: [{ key: 'name' }] }] } or undefined
 */
export function standardSchemaFailureOf(thrown: unknown): StandardSchemaFailure | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { status, statusCode, arkErrors, success, error, target } = thrown as Record<string, unknown>;
  if (status !== undefined || statusCode !== undefined) return undefined;
  const direct = issuesOf(thrown) ?? (thrown instanceof Error ? issuesOf(arkErrors) : undefined);
  if (direct !== undefined) return { issues: direct };
  if (success !== false) return undefined;
  const hooked = issuesOf({ issues: error });
  if (hooked === undefined) return undefined;
  const location = typeof target === 'string' && Object.hasOwn(LOCATION_OF_TARGET, target) ? LOCATION_OF_TARGET[target] : undefined;
  return location === undefined ? { issues: hooked } : { issues: hooked, location };
}

/**
 * The keys of a path up to the first that cannot be named in a pointer (a
 * symbol, a `{ key }` whose key is not a string or a number, such as the
 * `null` of a valibot Set): the field named is then the nearest one that can.
 */
function nameableKeys(path: readonly unknown[]): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const segment of path) {
    const key = typeof segment === 'object' && segment !== null ? (segment as { key?: unknown }).key : segment;
    if (typeof key !== 'string' && typeof key !== 'number') break;
    keys.push(key);
  }
  return keys;
}

/** An issue about a key the client sent that the schema refuses: valibot's `origin: 'key'`, arktype's "must be removed". */
function isRefusedKey(issue: Record<string, unknown>, path: readonly unknown[]): boolean {
  const last = path.at(-1);
  const valibotKey = typeof last === 'object' && last !== null && (last as { origin?: unknown }).origin === 'key';
  return valibotKey || (issue.code === 'predicate' && issue.expected === 'removed');
}

function toFieldError(issue: StandardSchemaIssue, location: StandardSchemaLocation | undefined): FieldError {
  const read = issue as unknown as Record<string, unknown>;
  let path = issue.path ?? [];
  // The value a library keeps on an issue: arktype's `data` (its `input` is the rule, e.g. `{ rule: 3 }`),
  // else valibot's `input` (its `received` quotes that value, else describes it: `Array`, a length).
  const sent: unknown[] = ['data' in read ? read.data : read.input];
  let fallback: string | undefined;
  if (isRefusedKey(read, path)) {
    // The refused key is the client's own word: the field named is its parent.
    sent.push(path.at(-1));
    path = path.slice(0, -1);
    fallback = 'Unknown field.';
  }
  const keys = nameableKeys(path);
  const message = safeFieldMessage(issue.message, sent, fallback);
  const reason = typeof read.code === 'string' ? read.code : typeof read.type === 'string' ? read.type : undefined;
  const code = reason === undefined ? {} : { code: reason };
  if (location === undefined) return { pointer: toPointer(keys), message, ...code };
  return { path: [location, ...keys.map(String)].join('.'), message, ...code };
}

/**
 * A Standard Schema validation failure (valibot, arktype, a failed
 * `['~standard'].validate()` result thrown, @hono/standard-validator's hook
 * result; see `standardSchemaFailureOf`): one field error per issue, its
 * `pointer` into the value parsed (or `query.limit`… where the location is
 * known). Tried after the zod mapper, which keeps zod's errors.
 *
 * @example
 * app.post('/users', (req, res) => { v.parse(UserSchema, req.body); res.sendStatus(201); });
 */
export const standardSchemaMapper: ErrorMapperFactory = (registry, normalize) => {
  const validationError = validationErrorBuilder(registry, normalize);
  return (thrown) => {
    const failure = standardSchemaFailureOf(thrown);
    if (failure === undefined) return undefined;
    const { fields, omitted } = readFieldErrors(failure.issues, (issue) => toFieldError(issue, failure.location));
    return validationError(fields, omitted, thrown);
  };
};
