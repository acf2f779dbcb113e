import type { ItemValue } from '../formats/formatter';

/** One item as the route gave it, split into its own fields and what it failed with. */
export interface ItemParts {
  readonly fields: { readonly [field: string]: ItemValue };
  /** True when the item's `error` member was set (to neither undefined nor null). */
  readonly failed: boolean;
  /** That member: an EnhancedError, or anything thrown while serving the item. */
  readonly thrown: unknown;
}

/**
 * Checks and copies one item. Fields must be plain JSON data, so that every
 * format writes the same values and nothing (a Date, a class instance, a
 * getter) can turn out differently when the body is written. A wrong item is
 * the route's mistake and throws a TypeError naming the field.
 */
export function readItemParts(item: unknown, index: number): ItemParts {
  const where = `items[${index}]`;
  if (!isPlainObject(item)) throw new TypeError(`${where} must be a plain object, got ${kind(item)}`);
  const fields: [string, ItemValue][] = [];
  let thrown: unknown;
  for (const [field, value] of Object.entries(item)) {
    if (field === 'error') thrown = value;
    else if (value !== undefined) fields.push([field, toItemValue(value, `${where}.${field}`, [item])]);
  }
  return { fields: Object.fromEntries(fields), failed: thrown !== undefined && thrown !== null, thrown };
}

function toItemValue(value: unknown, where: string, ancestors: readonly object[]): ItemValue {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new TypeError(`${where} must be a finite number, got ${value}`);
  }
  if (typeof value === 'object' && ancestors.includes(value)) throw new TypeError(`${where} refers back to itself`);
  if (Array.isArray(value)) {
    const inner = [...ancestors, value];
    return value.map((entry: unknown, i) => {
      if (entry === undefined) throw new TypeError(`${where}[${i}] is undefined`);
      return toItemValue(entry, `${where}[${i}]`, inner);
    });
  }
  if (isPlainObject(value)) {
    const inner = [...ancestors, value];
    const members: [string, ItemValue][] = [];
    for (const [field, member] of Object.entries(value)) {
      if (member !== undefined) members.push([field, toItemValue(member, `${where}.${field}`, inner)]);
    }
    return Object.fromEntries(members);
  }
  throw new TypeError(`${where} must be JSON data (string, finite number, boolean, null, array, plain object), got ${kind(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'an unknown class'}`;
  return typeof value;
}
