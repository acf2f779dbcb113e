import type { Envelope } from '../envelope/envelope';
import type { EnhancedError } from '../error/enhanced-error';
import type { ErrorContext } from '../handler/error-context';
import { applyErrorHeaders, clearStaleHeaders, type ResponseBody, writeResponse } from '../handler/headers';
import type { HttpRequest, HttpResponse } from '../http';
import { localizeMessage } from '../locale/localize';
import type { ErrorScope, ReportedError } from '../telemetry/telemetry';
import { type ErrorPipeline, safeReport } from './pipeline';

// The steps of answering with errors, written once: the error handler, sendItems
// and the load shedder differ only in what they pass here.

/** One error, its envelope with the message in the request's language, and how that language was chosen. */
export interface LocalizedAnswer {
  error: EnhancedError;
  envelope: Envelope;
  /** The message's language when known, for Content-Language. */
  locale: string | undefined;
  /** The message was chosen by Accept-Language, so the response varies by it. */
  varies: boolean;
}

export function localizedAnswer(pipeline: ErrorPipeline, error: EnhancedError, req: HttpRequest, trace: string): LocalizedAnswer {
  const localized = localizeMessage(error, req);
  return { error, envelope: pipeline.buildEnvelope(error, req, trace, localized), locale: localized.locale, varies: localized.varies };
}

export interface ErrorResponse {
  status: number;
  contentType: string;
  /** The error's own headers; those the response owns, and the request id header, are skipped. */
  errorHeaders?: { headers: Readonly<Record<string, string | number>> | undefined; requestIdHeader: string | undefined };
  /** The Retry-After value in delay-seconds, when the answer asks the client to wait. */
  retryAfter?: string;
  /** The request id header, when the caller left it to this response (name, value). */
  requestIdHeader?: readonly [string, string];
  /** See ResponseHead.headInOneWrite. */
  headInOneWrite?: boolean;
  /** Some message was chosen by Accept-Language. */
  variesByLanguage: boolean;
  /** Content-Language. */
  language?: string;
  /** Called once the headers are set; it may throw, and the caller decides what then goes out. */
  body: () => ResponseBody;
}

/**
 * Replaces whatever the route meant to send with the error response: the
 * route's stale headers go first, so that the error's own (Content-Range,
 * ETag) stay.
 */
export function writeErrorResponse(req: HttpRequest, res: HttpResponse, response: ErrorResponse): void {
  clearStaleHeaders(res);
  if (response.errorHeaders !== undefined) applyErrorHeaders(res, response.errorHeaders.headers, response.errorHeaders.requestIdHeader);
  const headers: string[] = response.requestIdHeader === undefined ? [] : [...response.requestIdHeader];
  if (response.retryAfter !== undefined) headers.push('Retry-After', response.retryAfter);
  writeResponse(
    res,
    {
      status: response.status,
      contentType: response.contentType,
      vary: response.variesByLanguage ? ACCEPT_AND_LANGUAGE : ACCEPT,
      language: response.language,
      headers,
      headInOneWrite: response.headInOneWrite,
    },
    response.body(),
  );
}

const ACCEPT = ['Accept'];
const ACCEPT_AND_LANGUAGE = ['Accept', 'Accept-Language'];

/**
 * After the response is written: telemetry, then onError (or the log) once
 * per error sent. Entries without an error (items that succeeded) are skipped.
 */
export function recordAndReport(
  pipeline: ErrorPipeline,
  sent: readonly ReportedError[],
  scope: ErrorScope,
  context: Omit<ErrorContext, 'envelope'>,
): void {
  pipeline.recordTelemetry?.(sent, scope);
  const { report } = pipeline;
  if (report === undefined) return;
  const { req, res, requestId, trace } = context;
  for (const { error, envelope } of sent) {
    if (error !== undefined && envelope !== undefined) safeReport(report, error, { req, res, envelope, requestId, trace });
  }
}
