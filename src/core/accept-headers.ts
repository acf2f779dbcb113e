import Negotiator from 'negotiator';

/**
 * Content negotiation by `negotiator`, the engine `accepts` itself runs on,
 * over header values alone: it needs no Node module (`accepts` pulls
 * mime-types and `path` for file extensions, which the core never passes).
 */

/**
 * The client's preferred of `offered` media types (full `type/subtype`
 * strings, as offered), or undefined when it accepts none. As `accepts`'
 * `type()`: an empty or missing Accept gets the first offered.
 */
export function preferredMediaType(accept: string | undefined, offered: readonly string[]): string | undefined {
  if (accept === undefined || accept === '') return offered[0];
  return new Negotiator({ headers: { accept } }).mediaType(offered);
}

/** The ranges the client sent with q > 0, most preferred first, wildcards as written. */
export function acceptedMediaRanges(accept: string): string[] {
  return new Negotiator({ headers: { accept } }).mediaTypes();
}

/** The client's preferred of `offered` languages (`fr-CA` matching `fr`), or undefined when it accepts none. */
export function preferredLanguage(acceptLanguage: string, offered: readonly string[]): string | undefined {
  return new Negotiator({ headers: { 'accept-language': acceptLanguage } }).language(offered);
}
