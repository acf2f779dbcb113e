import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { EnhancedError } from '../error/enhanced-error';
import type { Envelope } from '../envelope/envelope';
import type { Formatter } from '../formats/formatter';
import type { HttpRequest } from '../http';
import type { ErrorPipeline } from '../pipeline/pipeline';
import { type PrebuiltBody, prebuildBody, TRACE_MARK } from '../pipeline/prebuilt';
import { localizedAnswer } from '../pipeline/respond';
import { localeTableOf } from '../locale/messages';

/** One formatter's shed body in one language, cut where the trace goes. */
export interface PrebuiltShed extends PrebuiltBody {
  /** Content-Language, when the message's language is known. */
  readonly language: string | undefined;
  /** The envelope with the mark as its trace, for onError (copied with the real trace). */
  readonly envelope: Envelope;
}

/** Prebuilt bodies by formatter, then by language (`''` for a message of unknown language). */
export type PrebuiltSheds = ReadonlyMap<Formatter, ReadonlyMap<string, PrebuiltShed>>;

/**
 * Builds the shed answer once per formatter and per language of the code's
 * message, through the handler's own envelope builder and formatters, so
 * that it reads exactly as the handler's 503 would. A formatter or helpUrl
 * function that fails here fails start-up.
 */
export function prebuildSheds(pipeline: ErrorPipeline, error: EnhancedError): PrebuiltSheds {
  const locales = localeTableOf(error.entry)?.localesFor(error.code) ?? [];
  const requests = locales.length === 0 ? [startupRequest(undefined)] : locales.map(startupRequest);
  const byFormatter = new Map<Formatter, Map<string, PrebuiltShed>>();
  for (const formatter of pipeline.formatters) {
    const byLanguage = new Map<string, PrebuiltShed>();
    for (const req of requests) {
      const { envelope, locale } = localizedAnswer(pipeline, error, req, TRACE_MARK);
      byLanguage.set(locale ?? '', { ...prebuildBody(formatter, envelope), language: locale, envelope });
    }
    byFormatter.set(formatter, byLanguage);
  }
  return byFormatter;
}

/**
 * A request that exists only at start-up, asking for one language: what a
 * helpUrl function or the localizer may read of a request.
 */
function startupRequest(locale: string | undefined): HttpRequest {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/';
  if (locale !== undefined) req.headers['accept-language'] = locale;
  return req;
}
