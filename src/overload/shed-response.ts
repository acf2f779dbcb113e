import type { EnhancedError } from '../core/error/enhanced-error';
import type { Envelope } from '../core/envelope/envelope';
import type { Formatter } from '../core/formats/formatter';
import type { RequestIds, RequestView } from '../core/answer/request-view';
import { type PrebuiltBody, prebuildBody, TRACE_MARK } from '../core/answer/prebuilt';
import { ACCEPT, ACCEPT_AND_LANGUAGE, type Answer, answerHeaders, type AnswerPipeline, localizedAnswer } from '../core/answer/answer';
import { bodyWithTrace } from '../core/answer/prebuilt';
import { localeTableOf } from '../core/locale/messages';

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
export function prebuildSheds(pipeline: AnswerPipeline, error: EnhancedError): PrebuiltSheds {
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
 * The shed 503 with this request's ids, from the prebuilt body: `varies`
 * when its language was chosen by Accept-Language. Only the envelope is
 * reported: the error is the caller's.
 */
export function shedAnswer(pipeline: AnswerPipeline, shed: PrebuiltShed, ids: RequestIds, retryAfter: string, varies: boolean): Answer {
  return {
    status: 503,
    headers: answerHeaders(pipeline.ids, ids.requestId, { contentType: shed.contentType, retryAfter, language: shed.language }),
    vary: varies ? ACCEPT_AND_LANGUAGE : ACCEPT,
    body: bodyWithTrace(shed, ids.trace),
    sent: [],
    scope: 'top-level',
    ...ids,
  };
}

/**
 * A request that exists only at start-up, asking for one language: what a
 * helpUrl function or the localizer may read of a request. A helpUrl
 * function gets a request with that one header as its `req`.
 */
function startupRequest(locale: string | undefined): RequestView {
  const headers: Record<string, string> = locale === undefined ? {} : { 'accept-language': locale };
  return { method: 'GET', header: (name) => headers[name], raw: { method: 'GET', url: '/', headers } };
}
