import { EnhancedError } from '../../error/enhanced-error';
import { fieldsFromError } from '../../envelope/fields';
import { type FieldError, MAX_FIELD_ERRORS, summarizeFields } from '../../error/field-errors';
import type { RegistryView } from '../../registry/registry';
import type { Normalize } from '../normalize';
import { statusError } from '../status-error';

/** Said of a field whose library message would repeat what the client sent. */
export const GENERIC_FIELD_MESSAGE = 'Invalid value.';

const MAX_ECHO_CANDIDATES = 64;

/** The primitive values inside `value` (a few levels deep), as the strings a message could quote. */
function echoCandidates(values: readonly unknown[]): string[] {
  const found: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (found.length >= MAX_ECHO_CANDIDATES) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
      const text = String(value);
      if (text.length > 0) found.push(text);
    } else if (typeof value === 'object' && value !== null && depth < 3) {
      try {
        for (const [key, member] of Object.entries(value).slice(0, MAX_ECHO_CANDIDATES)) {
          if (key.length > 0) found.push(key);
          visit(member, depth + 1);
        }
      } catch {
        // A value that cannot be read cannot be quoted either.
      }
    }
  };
  for (const value of values) visit(value, 0);
  return found;
}

/**
 * A library's message for a field, unless it is missing or quotes any of
 * `sent` (the rejected value, an unknown key…): a value sent in a request is
 * never echoed, so such a message is replaced by a generic one.
 */
export function safeFieldMessage(message: unknown, sent: readonly unknown[], fallback = GENERIC_FIELD_MESSAGE): string {
  if (typeof message !== 'string' || message.trim().length === 0) return fallback;
  for (const candidate of echoCandidates(sent)) {
    if (message.includes(candidate)) return fallback;
  }
  return message;
}

/** `["items", 0, "name"]` as the RFC 6901 pointer `/items/0/name`. */
export function toPointer(segments: readonly unknown[]): string {
  return segments.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Field errors read from a library's list: at most MAX_FIELD_ERRORS are read, the rest counted. */
export function readFieldErrors<T>(
  issues: readonly T[],
  toField: (issue: T) => FieldError | readonly FieldError[],
): { fields: FieldError[]; omitted: number } {
  const fields: FieldError[] = [];
  let omitted = 0;
  for (const issue of issues) {
    if (fields.length >= MAX_FIELD_ERRORS) {
      omitted += 1;
      continue;
    }
    const mapped = toField(issue);
    for (const field of Array.isArray(mapped) ? (mapped as readonly FieldError[]) : [mapped as FieldError]) {
      if (fields.length < MAX_FIELD_ERRORS) fields.push(field);
      else omitted += 1;
    }
  }
  return { fields, omitted };
}

/** The parameter a field names, in the registry's spelling: `/redirectUrl` and `query.redirect-url` are `redirect_url`. */
function parameterName(field: FieldError): string | undefined {
  const segments = (field.pointer ?? field.path ?? '').split(/[/.]/).filter((segment) => segment !== '' && !/^\d+$/.test(segment));
  const last = segments.at(-1);
  if (last === undefined) return undefined;
  return last
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toLowerCase();
}

/** Codes for a validation failure, most general last; the first the registry has (with status 400) is used. */
export const VALIDATION_CODES = ['invalid_parameter_value', 'invalid_request_param_1003'] as const;

/** A validation failure: the fields, how many were left out, and what was thrown. */
export type ValidationErrorBuilder = (fields: readonly FieldError[], omitted: number, cause: unknown) => EnhancedError;

/**
 * Resolves, at start-up, the codes a validation failure answers in this
 * registry: a per-parameter code (`invalid_parameter_<name>`, as in the REST
 * API v2 list) for the first field that has one, else the first of
 * VALIDATION_CODES the registry has with status 400, else whatever
 * `normalize` answers for a thrown 400. `details` names the fields.
 */
export function validationErrorBuilder(registry: RegistryView, normalize: Normalize): ValidationErrorBuilder {
  const allows400 = (code: string) => registry.get(code)?.statuses.includes(400) === true;
  const generalCode = VALIDATION_CODES.find(allows400);
  const perParameter = new Map<string, string>();
  for (const { code } of registry) {
    const match = /^invalid_parameter_(.+)$/.exec(code);
    if (match?.[1] !== undefined && code !== 'invalid_parameter_value' && allows400(code)) perParameter.set(match[1], code);
  }

  return (fields, omitted, cause) => {
    const details = summarizeFields(fields, omitted);
    const init = { fields, omittedFields: omitted > 0 ? omitted : undefined, cause };
    let code: string | undefined;
    for (const field of fields) {
      const name = parameterName(field);
      code = name === undefined ? undefined : perParameter.get(name);
      if (code !== undefined) break;
    }
    code ??= generalCode;
    if (code !== undefined) return registry.create(code, { status: 400, details, ...init });
    return withFieldErrors(normalize(statusError(400, details)), init);
  };
}

/** The same error with field errors added. */
export function withFieldErrors(
  error: EnhancedError,
  init: { fields: readonly FieldError[]; omittedFields?: number; cause: unknown },
): EnhancedError {
  return new EnhancedError({ ...fieldsFromError(error), retryAfter: error.retryAfter, headers: error.headers, ...init }, error.entry);
}
