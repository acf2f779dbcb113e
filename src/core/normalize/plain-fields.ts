import { EnhancedError, type EnhancedErrorOptions, type ErrorHeaders, isConstructedHere } from '../error/enhanced-error';
import { FIELDS_FROM_ERROR, type FieldFromError, fieldsFromError } from '../envelope/fields';
import type { RegistryEntry } from '../registry/registry';
import { isRetryAfter } from '../registry/validate';
import { isBuiltFieldList } from '../error/field-errors';

/** Every field of an EnhancedError the handler reads after normalizing. */
const FIELDS = [...FIELDS_FROM_ERROR, 'retryAfter', 'headers', 'fields', 'omittedFields', 'entry'] as const;

/** Whether a value is a Proxy; JavaScript itself cannot tell, the runtime can (Node's `util.types.isProxy`). */
export type ProxyCheck = (value: object) => boolean;

let isProxy: ProxyCheck | undefined;

/**
 * Installs the runtime's Proxy check; the Node adapter installs Node's when
 * it loads. Without one, what JavaScript can tell stands in: an error the
 * constructor did not build (a Proxy of one, or an object made from its
 * prototype) is rebuilt, and only frozen objects count as plain data (a
 * Proxy of a frozen object must answer every read with the target's value,
 * by the language's Proxy invariants). So an error with unfrozen headers is
 * rebuilt from one read, its headers copied: the same answer, but onError
 * gets the copy (its `cause` is the thrown error), and a made-up error the
 * constructor refuses is answered as a 500.
 */
export function useProxyCheck(check: ProxyCheck): void {
  isProxy = check;
}

/**
 * An EnhancedError whose fields the handler may read as often as it needs.
 * The handler reads an error several times while answering; a Proxy or an
 * accessor could answer differently, or throw, on a later read, after
 * normalize's guard. Such an error is read once, here, and rebuilt from what
 * was read; the constructor throws if that is not a valid error.
 */
export function withPlainFields(error: EnhancedError): EnhancedError {
  if (hasPlainFields(error)) return error;
  const read = error as unknown as Record<(typeof FIELDS)[number], unknown>;
  // The constructor checks the spec's fields as it would any other options.
  const spec = fieldsFromError(read) as Pick<EnhancedErrorOptions, FieldFromError>;
  const { retryAfter, headers, fields, omittedFields, entry } = read;
  return new EnhancedError(
    {
      ...spec,
      // Dropped rather than refused, keeping the error: a help page is a hint, which the envelope checks again.
      helpUrl: typeof spec.helpUrl === 'string' ? spec.helpUrl : undefined,
      retryAfter: isRetryAfter(retryAfter) ? retryAfter : undefined,
      headers: copyHeaders(headers),
      // Lists the constructor built are frozen plain data; anything else is dropped rather than read again.
      fields: isBuiltFieldList(fields) ? (fields as EnhancedError['fields']) : undefined,
      // Stryker disable next-line EqualityOperator: a count of 0 passed on is stored as none, as the constructor leaves it out.
      omittedFields: Number.isSafeInteger(omittedFields) && (omittedFields as number) > 0 ? (omittedFields as number) : undefined,
      cause: error,
    },
    isPlainData(entry) ? (entry as RegistryEntry) : undefined,
  );
}

function hasPlainFields(error: EnhancedError): boolean {
  // Another copy's error (its own class) is rebuilt as this copy's, to be read like any other.
  if ((isProxy === undefined ? !isConstructedHere(error) : isProxy(error)) || !(error instanceof EnhancedError)) return false;
  for (const key of FIELDS) {
    if (hasAccessor(error, key)) return false;
  }
  return isPlainData(error.headers) && isPlainData(error.entry) && (error.fields === undefined || isBuiltFieldList(error.fields));
}

/** An accessor for `key` on the error or a prototype below EnhancedError's own. */
function hasAccessor(error: object, key: string): boolean {
  // Stryker disable next-line ConditionalExpression: error is an EnhancedError here, so the walk always meets its prototype before null, and no field is an accessor above it.
  for (let object: object | null = error; object !== null && object !== EnhancedError.prototype; object = Object.getPrototypeOf(object)) {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor !== undefined) return descriptor.get !== undefined || descriptor.set !== undefined;
  }
  return false;
}

/**
 * Frozen objects already found plain. A frozen object's properties can never
 * change, so its answer holds; registry entries are frozen, and one error
 * after another carries the same entry.
 */
const frozenPlainData = new WeakSet<object>();

/** Undefined, or an object whose own properties are data that no code runs to read. */
function isPlainData(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null || mayBeProxy(value)) return false;
  // Stryker disable next-line ConditionalExpression: the memo saves work; checking again gives the same answer.
  if (frozenPlainData.has(value)) return true;
  const plain = Object.values(Object.getOwnPropertyDescriptors(value)).every((descriptor) => 'value' in descriptor);
  if (plain && Object.isFrozen(value)) frozenPlainData.add(value);
  return plain;
}

/** A Proxy, or for all JavaScript can tell one that could answer a later read differently (see useProxyCheck). */
function mayBeProxy(value: object): boolean {
  if (isProxy !== undefined) return isProxy(value);
  try {
    return !Object.isFrozen(value);
  } catch {
    return true;
  }
}

/**
 * The string and number values of a headers object, in a plain copy. One
 * that throws while read loses its headers, not its error.
 */
export function copyHeaders(headers: unknown): ErrorHeaders | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const copy: Record<string, string | number> = {};
  try {
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === 'string' || typeof value === 'number') copy[name] = value;
    }
  } catch {
    return undefined;
  }
  return copy;
}
