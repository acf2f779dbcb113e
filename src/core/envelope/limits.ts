import { MAX_HELP_URL_LENGTH } from '../registry/validate';

/**
 * Upper bounds for the envelope's unrestricted fields (the spec: "there might
 * be limitations in place to ensure a reasonable size"). Lengths count UTF-16
 * code units, as `String.prototype.length` does.
 */
export interface FieldLimits {
  /** A longer message is cut to this length, its last character `…`. Default: 1024. */
  message?: number;
  /** Longer details are cut to this length, the last character `…`. Default: 4096. */
  details?: number;
  /** A longer helpUrl is refused: the next candidate is used, or none. Default and maximum: 2048. */
  helpUrl?: number;
  /** A longer field error message is cut to this length, the last character `…`. Default: 256. */
  fieldMessage?: number;
  /** A longer field error pointer or path is cut to this length, the last character `…`. Default: 256. */
  fieldPath?: number;
}

export const DEFAULT_FIELD_LIMITS: Readonly<Required<FieldLimits>> = Object.freeze({
  message: 1024,
  details: 4096,
  helpUrl: MAX_HELP_URL_LENGTH,
  fieldMessage: 256,
  fieldPath: 256,
});

/** Checks the configured limits at start-up and fills in the defaults. */
export function resolveFieldLimits(limits: FieldLimits = {}): Readonly<Required<FieldLimits>> {
  if (typeof limits !== 'object' || limits === null) throw new TypeError('limits option must be an object');
  const resolved = { ...DEFAULT_FIELD_LIMITS };
  for (const [field, value] of Object.entries(limits)) {
    if (!Object.hasOwn(DEFAULT_FIELD_LIMITS, field)) throw new TypeError(`limits: unknown field ${JSON.stringify(field)}`);
    if (value === undefined) continue;
    const max = field === 'helpUrl' ? MAX_HELP_URL_LENGTH : Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(value) || value < 1 || value > max) {
      throw new TypeError(`limits.${field} must be an integer from 1 to ${max}, got ${String(value)}`);
    }
    resolved[field as keyof FieldLimits] = value;
  }
  return Object.freeze(resolved);
}

const ELLIPSIS = '…';

/**
 * Cuts text longer than `max` to `max` code units ending with `…`. A
 * surrogate pair is never split, so the cut never makes a lone surrogate.
 */
export function truncateText(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - ELLIPSIS.length;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return value.slice(0, Math.max(end, 0)) + ELLIPSIS;
}
