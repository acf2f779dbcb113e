import { preferredLanguage } from '../accept-headers';
import type { EnhancedError } from '../error/enhanced-error';
import type { RequestView } from '../answer/request-view';
import { type LocaleTable, localeTableOf } from './messages';

/** The message one response carries and what the response headers say about its language. */
export interface LocalizedMessage {
  readonly message: string;
  /** Content-Language: the locale of `message`; undefined when it is not known (a route's own message). */
  readonly locale: string | undefined;
  /** Whether the message depends on Accept-Language (the registry has more than one locale). */
  readonly varies: boolean;
}

/**
 * The best of `offered` for the request's Accept-Language, by `negotiator`
 * (q-values, `fr-CA` matching `fr`); the first offered one when nothing matches.
 */
export function negotiateLocale(acceptLanguage: string | undefined, offered: readonly string[]): string | undefined {
  if (offered.length < 2 || acceptLanguage === undefined) return offered[0];
  return preferredLanguage(acceptLanguage, offered) ?? offered[0];
}

/**
 * The error's message in the request's language. Only a registry's own
 * message is translated: a message a route chose for one error is sent as is.
 */
export function localizeMessage(error: EnhancedError, request: RequestView): LocalizedMessage {
  const { entry } = error;
  const table = localeTableOf(entry);
  if (entry === undefined || table === undefined || error.message !== entry.message) {
    return { message: error.message, locale: undefined, varies: false };
  }
  return messageFor(table, error.code, error.message, request);
}

function messageFor(table: LocaleTable, code: string, fallback: string, request: RequestView): LocalizedMessage {
  const varies = table.locales.length > 1;
  const locale = negotiateLocale(request.header('accept-language'), table.localesFor(code)) ?? table.defaultLocale;
  const message = table.messageIn(code, locale);
  return message === undefined ? { message: fallback, locale: table.defaultLocale, varies } : { message, locale, varies };
}
