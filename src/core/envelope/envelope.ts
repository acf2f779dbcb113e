import type { EnhancedError } from '../error/enhanced-error';
import { type FieldError, summarizeFields } from '../error/field-errors';
import type { RequestView } from '../answer/request-view';
import { isHelpUrl } from '../registry/validate';
import type { LocalizedMessage } from '../locale/localize';
import type { EnvelopeFields } from './fields';
import { type FieldLimits, resolveFieldLimits, truncateText } from './limits';

export { ENVELOPE_FIELDS } from './fields';

/**
 * The plain fields of one error object: the spec's fields (declared in
 * fields.ts), in its order, then the field errors. Every format writes from this.
 */
export interface Envelope extends EnvelopeFields {
  /**
   * Field errors of a validation failure, size-limited; not one of the spec's
   * fields: each format decides whether and how to write them.
   */
  readonly fields?: readonly FieldError[];
  /** How many field errors were left out of `fields`. */
  readonly omittedFields?: number;
}

/**
 * A fixed URL, or one chosen per error (e.g. a page of the service's own
 * catalog); `locale` is the language of the response's message, when known.
 */
export type HelpUrlOption<Req = unknown> = string | ((error: EnhancedError, req: Req, locale: string | undefined) => string | undefined);

export interface EnvelopeOptions {
  /** The function gets the request view's `raw`: the adapter that made the view gives its framework's request. */
  helpUrl?: HelpUrlOption<never>;
  /** Size limits for message, details and helpUrl; see DEFAULT_FIELD_LIMITS. */
  limits?: FieldLimits;
}

/** `localized`, when given, replaces the error's message and tells the helpUrl function the locale. */
export type BuildEnvelope = (error: EnhancedError, request: RequestView, trace: string, localized?: LocalizedMessage) => Envelope;

export function createEnvelopeBuilder(options: EnvelopeOptions = {}): BuildEnvelope {
  const { helpUrl: helpUrlOption } = options;
  const limits = resolveFieldLimits(options.limits);
  if (typeof helpUrlOption === 'string' && !isHelpUrl(helpUrlOption, limits.helpUrl)) {
    throw new TypeError(
      `helpUrl option must be an absolute http(s) URL of at most ${limits.helpUrl} characters, got ${JSON.stringify(helpUrlOption)}`,
    );
  }
  if (helpUrlOption !== undefined && typeof helpUrlOption !== 'string' && typeof helpUrlOption !== 'function') {
    throw new TypeError('helpUrl option must be a URL string or a function');
  }

  /** The error's own URL, then the handler's, then the registry's; an invalid or too long one is skipped. */
  function helpUrlFor(error: EnhancedError, request: RequestView, locale: string | undefined): string | undefined {
    if (isHelpUrl(error.helpUrl, limits.helpUrl)) return error.helpUrl;
    if (typeof helpUrlOption === 'string') return helpUrlOption;
    if (typeof helpUrlOption === 'function') {
      try {
        const url = helpUrlOption(error, request.raw as never, locale);
        if (isHelpUrl(url, limits.helpUrl)) return url;
      } catch {
        // A failing helpUrl function must not turn one error into another.
      }
    }
    // Checked when the registry was created; only the handler's length limit is left.
    const registryUrl = error.entry?.helpUrl;
    return registryUrl !== undefined && registryUrl.length <= limits.helpUrl ? registryUrl : undefined;
  }

  return function buildEnvelope(error, request, trace, localized) {
    // One object shape for every error, fields in the spec's order; absent
    // optional fields stay undefined, which every format leaves out.
    // Every key written, even an absent optional one: a field added to the table must be given a value here.
    const envelope: EveryKey<Envelope> = {
      action: error.action,
      status: error.status,
      code: error.code,
      message: truncateText(localized?.message ?? error.message, limits.message),
      details: detailsOf(error, limits.details),
      helpUrl: helpUrlFor(error, request, localized?.locale),
      trace,
      fields: error.fields === undefined ? undefined : error.fields.map((field) => limitField(field, limits)),
      omittedFields: error.omittedFields,
    };
    return envelope;
  };
}

/** The type with every key present, optional ones allowed undefined. */
type EveryKey<T> = { readonly [K in keyof Required<T>]: T[K] };

/** Retry-After seconds for a `retry-after` error when neither it, its registry nor the options set any. */
export const DEFAULT_RETRY_AFTER = 60;
/** The error's details; for field errors without any, a summary naming the fields. */
function detailsOf(error: EnhancedError, max: number): string | undefined {
  if (error.details !== undefined) return truncateText(error.details, max);
  return error.fields === undefined || error.fields.length === 0
    ? undefined
    : truncateText(summarizeFields(error.fields, error.omittedFields), max);
}

function limitField(field: FieldError, limits: Readonly<Required<FieldLimits>>): FieldError {
  return {
    ...(field.pointer !== undefined && { pointer: truncateText(field.pointer, limits.fieldPath) }),
    ...(field.path !== undefined && { path: truncateText(field.path, limits.fieldPath) }),
    message: truncateText(field.message, limits.fieldMessage),
    ...(field.code !== undefined && { code: truncateText(field.code, limits.fieldPath) }),
  };
}
