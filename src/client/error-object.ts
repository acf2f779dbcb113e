import { ENVELOPE_FIELD_TABLE, type EnvelopeFieldRow } from '../core/envelope/fields';
import type { ReceivedError } from './types';

/** The error fields as read from any wire shape; XML gives every value as text. */
export type RawErrorFields = Readonly<Record<string, unknown>>;

export type ErrorReading = { readonly error: ReceivedError } | { readonly invalid: string };

/** The members that make an object an error object rather than some other payload. */
export function looksLikeErrorObject(fields: RawErrorFields): boolean {
  return 'code' in fields && 'action' in fields;
}

type OptionalRow = Extract<EnvelopeFieldRow, { readonly clientRequires: false }>;

/**
 * The fields a client reads only when present, in the spec's order. All are
 * strings: an optional field of another type needs its own reading here
 * (the compiler refuses this line until then).
 */
const OPTIONAL_FIELDS: readonly (OptionalRow & { readonly type: 'string' })[] = ENVELOPE_FIELD_TABLE.filter(
  (row): row is OptionalRow => !row.clientRequires,
);

/**
 * Checks the required fields strictly and keeps the optional ones that have
 * their type. Action and code are any non-empty strings: their sets may grow.
 */
export function readErrorObject(fields: RawErrorFields): ErrorReading {
  const { action, code, message } = fields;
  const status = toStatus(fields.status);
  if (!isFilled(action)) return { invalid: 'its "action" is not a non-empty string' };
  if (!isFilled(code)) return { invalid: 'its "code" is not a non-empty string' };
  if (status === undefined) return { invalid: 'its "status" is not an HTTP status code' };
  if (typeof message !== 'string') return { invalid: 'its "message" is not a string' };
  const error: { -readonly [K in keyof ReceivedError]: ReceivedError[K] } = { action, status, code, message };
  for (const { name } of OPTIONAL_FIELDS) {
    const value = fields[name];
    if (typeof value === 'string') error[name] = value;
  }
  return { error };
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function toStatus(value: unknown): number | undefined {
  const status = typeof value === 'string' && /^\s*\d{3}\s*$/.test(value) ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}
