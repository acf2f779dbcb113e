import type { EnhancedError } from '../error/enhanced-error';
import type { HttpRequest } from '../http';
import type { Action } from '../registry/actions';
import { isHelpUrl } from '../registry/validate';
import type { LocalizedMessage } from '../locale/localize';

/** The plain fields of one error object, in the spec's order. Every format writes from this. */
export interface Envelope {
  readonly action: Action;
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: string;
  readonly helpUrl?: string;
  readonly trace: string;
}

export const ENVELOPE_FIELDS = ['action', 'status', 'code', 'message', 'details', 'helpUrl', 'trace'] as const;

/**
 * A fixed URL, or one chosen per error (e.g. a page of the service's own
 * catalog); `locale` is the language of the response's message, when known.
 */
export type HelpUrlOption = string | ((error: EnhancedError, req: HttpRequest, locale: string | undefined) => string | undefined);

export interface EnvelopeOptions {
  helpUrl?: HelpUrlOption;
}

/** `localized`, when given, replaces the error's message and tells the helpUrl function the locale. */
export type BuildEnvelope = (error: EnhancedError, req: HttpRequest, trace: string, localized?: LocalizedMessage) => Envelope;

export function createEnvelopeBuilder(options: EnvelopeOptions = {}): BuildEnvelope {
  const { helpUrl: helpUrlOption } = options;
  if (typeof helpUrlOption === 'string' && !isHelpUrl(helpUrlOption)) {
    throw new TypeError(`helpUrl option must be an absolute http(s) URL, got ${JSON.stringify(helpUrlOption)}`);
  }
  if (helpUrlOption !== undefined && typeof helpUrlOption !== 'string' && typeof helpUrlOption !== 'function') {
    throw new TypeError('helpUrl option must be a URL string or a function');
  }

  /** The error's own URL, then the handler's, then the registry's; an invalid one is skipped. */
  function helpUrlFor(error: EnhancedError, req: HttpRequest, locale: string | undefined): string | undefined {
    if (isHelpUrl(error.helpUrl)) return error.helpUrl;
    if (typeof helpUrlOption === 'string') return helpUrlOption;
    if (typeof helpUrlOption === 'function') {
      try {
        const url = helpUrlOption(error, req, locale);
        if (isHelpUrl(url)) return url;
      } catch {
        // A failing helpUrl function must not turn one error into another.
      }
    }
    return error.entry?.helpUrl;
  }

  return function buildEnvelope(error, req, trace, localized) {
    // One object shape for every error, fields in the spec's order; absent
    // optional fields stay undefined, which every format leaves out.
    const envelope: Envelope = {
      action: error.action,
      status: error.status,
      code: error.code,
      message: localized?.message ?? error.message,
      details: error.details,
      helpUrl: helpUrlFor(error, req, localized?.locale),
      trace,
    };
    return envelope;
  };
}

/**
 * The Retry-After value for a `retry-after` error: its own, else the
 * registry's, else the handler's default. Dates become HTTP-dates.
 */
export function retryAfterHeader(error: EnhancedError, defaultSeconds: number): string | undefined {
  if (error.action !== 'retry-after') return undefined;
  const value = error.retryAfter ?? error.entry?.retryAfter ?? defaultSeconds;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(defaultSeconds) : value.toUTCString();
  return Number.isSafeInteger(value) && value >= 0 ? String(value) : String(defaultSeconds);
}
