/**
 * One field of a request that failed validation. It names the field and says
 * what is wrong; it never carries the value that was sent.
 */
export interface FieldError {
  /** RFC 6901 JSON Pointer into the request body, e.g. `/items/0/name`. */
  readonly pointer?: string;
  /** Where the field is outside the body, e.g. `query.limit`, `params.id`, `headers.x-api-key`. */
  readonly path?: string;
  /** What is wrong with the field, e.g. `Required`. */
  readonly message: string;
  /** A machine-readable reason or registry code for this field, when known. */
  readonly code?: string;
}

/** At most this many field errors are kept on one error; the rest are counted in `omittedFields`. */
export const MAX_FIELD_ERRORS = 100;

/** Lists built by `toFieldErrors`: frozen plain data that a response may read as often as it needs. */
const builtLists = new WeakSet<readonly FieldError[]>();

export function isBuiltFieldList(value: unknown): boolean {
  return typeof value === 'object' && value !== null && builtLists.has(value as readonly FieldError[]);
}

/**
 * Copies the first MAX_FIELD_ERRORS field errors into frozen plain objects
 * holding only `pointer`, `path`, `message` and `code` (any other property,
 * such as a rejected value, is left behind); the rest are counted.
 * Throws a TypeError naming `where` for an entry that is not a field error.
 */
export function toFieldErrors(fields: unknown, where: string): { fields: readonly FieldError[]; omitted: number } {
  if (isBuiltFieldList(fields)) return { fields: fields as readonly FieldError[], omitted: 0 };
  if (!Array.isArray(fields)) throw new TypeError(`${where}: fields must be an array of field errors`);
  const kept: FieldError[] = [];
  for (const [index, field] of (fields as unknown[]).slice(0, MAX_FIELD_ERRORS).entries()) {
    if (typeof field !== 'object' || field === null) throw new TypeError(`${where}: fields[${index}] must be an object`);
    const { pointer, path, message, code } = field as Record<string, unknown>;
    if (typeof message !== 'string' || message.length === 0)
      throw new TypeError(`${where}: fields[${index}].message must be a non-empty string`);
    if (pointer !== undefined && typeof pointer !== 'string') throw new TypeError(`${where}: fields[${index}].pointer must be a string`);
    if (path !== undefined && typeof path !== 'string') throw new TypeError(`${where}: fields[${index}].path must be a string`);
    if (pointer === undefined && path === undefined) throw new TypeError(`${where}: fields[${index}] needs a pointer or a path`);
    if (code !== undefined && typeof code !== 'string') throw new TypeError(`${where}: fields[${index}].code must be a string`);
    kept.push(
      Object.freeze({
        ...(pointer !== undefined && { pointer }),
        ...(path !== undefined && { path }),
        message,
        ...(code !== undefined && { code }),
      }),
    );
  }
  const list = Object.freeze(kept);
  builtLists.add(list);
  return { fields: list, omitted: Math.max(0, fields.length - MAX_FIELD_ERRORS) };
}

/** How a field is named in a summary: its path, or its pointer without the leading slash (`/` for the whole body). */
export function fieldLabel(field: FieldError): string {
  if (field.path !== undefined) return field.path;
  const pointer = field.pointer ?? '';
  return pointer === '' ? '/' : pointer.slice(1) || '/';
}

const SUMMARY_NAMES = 10;

/**
 * The short `details` text naming the fields, e.g.
 * `Invalid fields: name, items/0/price.` or `… and 12 more.`
 */
export function summarizeFields(fields: readonly FieldError[], omitted = 0): string {
  const names = [...new Set(fields.map(fieldLabel))];
  const shown = names.slice(0, SUMMARY_NAMES);
  const more = names.length - shown.length + omitted;
  const noun = names.length + omitted === 1 ? 'Invalid field' : 'Invalid fields';
  return `${noun}: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`;
}
