import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { EnhancedError } from '../error/enhanced-error';
import type { Envelope } from '../envelope/envelope';
import type { Formatter } from '../formats/formatter';
import type { HttpRequest } from '../http';
import type { ErrorPipeline } from '../pipeline/pipeline';
import { localizedAnswer } from '../pipeline/respond';
import { localeTableOf } from '../locale/messages';

/**
 * A trace no formatter escapes or could mistake for anything else: every
 * formatter writes it verbatim, so splitting a body on it finds exactly where
 * the per-response trace goes.
 */
const TRACE_MARK = 'ShedTraceMark0f3c9a7e5d1b4c2a';

/** One formatter's shed body in one language, cut where the trace goes. */
export interface PrebuiltShed {
  readonly contentType: string;
  /** The body's text around each place the trace appears; joined with the trace, it is the body. */
  readonly parts: readonly string[];
  /** Byte length of the parts alone: the body's length is this plus the trace's length per gap (a trace is ASCII). */
  readonly fixedBytes: number;
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
      const parts = formatter.formatError(envelope).split(TRACE_MARK);
      const fixedBytes = parts.reduce((bytes, part) => bytes + Buffer.byteLength(part), 0);
      byLanguage.set(locale ?? '', { contentType: formatter.contentType, parts, fixedBytes, language: locale, envelope });
    }
    byFormatter.set(formatter, byLanguage);
  }
  return byFormatter;
}

/** The prebuilt body with this response's trace spliced into each gap. */
export function shedBody(prebuilt: PrebuiltShed, trace: string): string {
  const { parts } = prebuilt;
  // Most formats hold the trace once (two parts); Vimond's has none (one part).
  if (parts.length === 2) return parts[0] + trace + parts[1];
  return parts.join(trace);
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
