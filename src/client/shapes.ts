import { looksLikeErrorObject, type RawErrorFields, readErrorObject } from './error-object';
import type { ItemError, NotEnhancedReason, NotEnhancedResult, ParsedResponse, ReceivedItem, VimondError } from './types';

/**
 * The wire shapes, read from plain values. JSON bodies arrive here as parsed;
 * XML bodies arrive converted to the same plain form (see xml.ts), so each
 * shape is understood in one place whatever its syntax.
 */

export type Facts = Pick<ParsedResponse, 'httpStatus' | 'retryAfter' | 'invalidRetryAfter' | 'requestId'>;

export function notEnhanced(facts: Facts, reason: NotEnhancedReason, description: string): NotEnhancedResult {
  return { kind: 'not-enhanced', ...facts, reason, description };
}

export function isRecord(value: unknown): value is RawErrorFields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function topLevel(facts: Facts, format: 'json' | 'xml', fields: RawErrorFields): ParsedResponse {
  const reading = readErrorObject(fields);
  if ('invalid' in reading) return notEnhanced(facts, 'invalid-error-object', `The error object is invalid: ${reading.invalid}.`);
  return { kind: 'top-level', ...facts, format, error: reading.error };
}

/**
 * RFC 9457 members mapped back: `detail` = details; the `message` member, else
 * `title`, = message (an about:blank problem's title is the status phrase);
 * the `helpUrl` member, else `type` unless about:blank, = helpUrl (earlier
 * versions, and other servers, give the help page as type).
 */
export function problem(facts: Facts, format: 'problem+json' | 'problem+xml', fields: RawErrorFields): ParsedResponse {
  if (!looksLikeErrorObject(fields)) {
    return notEnhanced(facts, 'unrecognized-shape', 'Problem details without the "code" and "action" extension members.');
  }
  const { type, title, detail, ...rest } = fields;
  const reading = readErrorObject({
    ...rest,
    message: 'message' in fields ? fields.message : title,
    details: detail,
    helpUrl: 'helpUrl' in fields ? fields.helpUrl : type === 'about:blank' ? undefined : type,
  });
  if ('invalid' in reading) return notEnhanced(facts, 'invalid-error-object', `The problem details are invalid: ${reading.invalid}.`);
  return { kind: 'top-level', ...facts, format, error: reading.error };
}

/** Items are matched to what was sent by position, so every entry must be an object. */
export function itemLevel(facts: Facts, format: 'json' | 'xml', collection: string, entries: readonly unknown[]): ParsedResponse {
  const items: ReceivedItem[] = [];
  const errors: ItemError[] = [];
  for (const [index, entry] of entries.entries()) {
    if (!isRecord(entry)) {
      return notEnhanced(facts, 'unrecognized-shape', `Item ${index} of "${collection}" is not an object.`);
    }
    const { error: errorFields, ...fields } = entry;
    if (errorFields === undefined) {
      items.push({ index, fields });
      continue;
    }
    const reading = isRecord(errorFields) ? readErrorObject(errorFields) : { invalid: 'it is not an object' };
    if ('invalid' in reading) {
      return notEnhanced(facts, 'invalid-error-object', `The error of item ${index} of "${collection}" is invalid: ${reading.invalid}.`);
    }
    const item: ItemError = { index, fields, error: reading.error };
    items.push(item);
    errors.push(item);
  }
  return { kind: 'item-level', ...facts, format, collection, items, errors };
}

export function vimond(facts: Facts, entries: readonly unknown[]): ParsedResponse {
  const errors: VimondError[] = [];
  for (const entry of entries) {
    const code = isRecord(entry) && (typeof entry.code === 'number' && Number.isInteger(entry.code) ? String(entry.code) : entry.code);
    if (!isRecord(entry) || typeof entry.title !== 'string' || typeof code !== 'string' || code.length === 0) {
      return notEnhanced(facts, 'invalid-error-object', 'A Vimond error needs a string "title" and "code".');
    }
    errors.push({ title: entry.title, code, ...(typeof entry.detail === 'string' ? { detail: entry.detail } : {}) });
  }
  if (errors.length === 0) return notEnhanced(facts, 'unrecognized-shape', 'A Vimond "errors" array with no entry.');
  return { kind: 'vimond', ...facts, format: 'vimond', errors };
}

/**
 * Tells the JSON shapes apart by their members; an application/problem+json
 * body is read as problem details. `{"error": {…}}` (the specification puts
 * the error information "in the "error" field within the response body") is
 * read as the object it holds, the same way as a bare one.
 */
export function fromJsonValue(facts: Facts, value: unknown, problemMediaType: boolean): ParsedResponse {
  if (!isRecord(value)) return notEnhanced(facts, 'unrecognized-shape', 'The JSON body is not an object.');
  if (problemMediaType) return problem(facts, 'problem+json', value);
  if (Array.isArray(value.errors) && !looksLikeErrorObject(value)) return vimond(facts, value.errors);
  if (looksLikeErrorObject(value)) return jsonErrorObject(facts, value);
  if (isRecord(value.error) && looksLikeErrorObject(value.error)) return jsonErrorObject(facts, value.error);
  const keys = Object.keys(value);
  const collection = keys[0];
  if (keys.length === 1 && collection !== undefined && Array.isArray(value[collection])) {
    return itemLevel(facts, 'json', collection, value[collection]);
  }
  return notEnhanced(facts, 'unrecognized-shape', 'The JSON object is neither an error object nor a collection of items.');
}

/** The spec's error object, or problem details sent as plain JSON: a title with a type, or without a message. */
function jsonErrorObject(facts: Facts, fields: RawErrorFields): ParsedResponse {
  return 'title' in fields && ('type' in fields || !('message' in fields))
    ? problem(facts, 'problem+json', fields)
    : topLevel(facts, 'json', fields);
}
