import type { BuildEnvelope, Envelope } from '../envelope/envelope';
import { retryAfterSeconds } from '../envelope/retry-after';
import type { EnhancedError } from '../error/enhanced-error';
import type { Formatter } from '../formats/formatter';
import type { Negotiate } from '../formats/negotiate';
import { localizeMessage } from '../locale/localize';
import { normalizeResponseErrors } from '../normalize/aggregate';
import type { Normalize } from '../normalize/normalize';
import type { RegistryView } from '../registry/registry';
import { isSafeHeader } from '../header-safety';
import { bodyWithTrace, type PrebuiltBody } from './prebuilt';
import { type RequestIdOptions, type RequestIds, type RequestView, settleRequestIds } from './request-view';

// The error contract as data: what to answer, never how to write it. Adapters
// (src/adapters) write an Answer with their framework's response object.

/** What answering needs of the pipeline built at start-up (src/adapters/express/pipeline.ts builds it from the options). */
export interface AnswerPipeline {
  registry: RegistryView;
  /** The formatters offered (the configured ones, then the HTML page), and the media type answered when negotiation finds none. */
  formatters: readonly Formatter[];
  defaultType: string;
  normalize: Normalize;
  /** The body sent when answering failed: the registry's own 500, written at start-up in the built-in format the request accepts. */
  fallbackBody: (request: RequestView) => PrebuiltBody;
  buildEnvelope: BuildEnvelope;
  negotiate: Negotiate;
  ids: RequestIdOptions;
  defaultRetryAfter: number;
}

/** One answered error and its envelope, as telemetry and onError get it; items that succeeded have neither. */
export interface SentError {
  error?: EnhancedError;
  envelope?: Envelope;
}

/** Where the errors of an answer were: the whole response, or items of a 200. */
export type ErrorScope = 'top-level' | 'item';

/** A response body: one string, or parts whose concatenation is the body (a large item response). */
export type AnswerBody = string | readonly string[];

/** A complete response as data. */
export interface Answer {
  readonly status: number;
  /**
   * Every header the response owns, in the order to set them: the request id,
   * the error's own safe headers, Retry-After, Content-Type,
   * X-Content-Type-Options, Cache-Control, Content-Language. Content-Length
   * is the writer's: it depends on how it encodes the body.
   */
  readonly headers: readonly (readonly [string, string])[];
  /** The request headers the body varies by, for Vary (merged by the writer with any Vary already set). */
  readonly vary: readonly string[];
  readonly body: AnswerBody;
  /** The errors sent, for telemetry and onError. */
  readonly sent: readonly SentError[];
  readonly scope: ErrorScope;
  readonly requestId: string;
  readonly trace: string;
  /** Set when building the answer failed and this is the prebuilt fallback 500: what failed, for the log. */
  readonly failure?: unknown;
}

/** One error, its envelope with the message in the request's language, and how that language was chosen. */
export interface LocalizedAnswer {
  error: EnhancedError;
  envelope: Envelope;
  /** The message's language when known, for Content-Language. */
  locale: string | undefined;
  /** The message was chosen by Accept-Language, so the response varies by it. */
  varies: boolean;
}

export function localizedAnswer(pipeline: AnswerPipeline, error: EnhancedError, request: RequestView, trace: string): LocalizedAnswer {
  const localized = localizeMessage(error, request);
  return { error, envelope: pipeline.buildEnvelope(error, request, trace, localized), locale: localized.locale, varies: localized.varies };
}

/**
 * The answer to what a route threw: normalized (mappers first), localized,
 * negotiated and formatted. Never throws: when a formatter fails, the
 * answer is the registry's 500 prebuilt at start-up, with `failure` set.
 * `responseStatus` (the route's status so far) is the status of a thrown
 * value that carries none.
 *
 * @example
 * const answer = answerError(pipeline, new Error('boom'), { method: 'GET', header: () => undefined, raw: undefined });
 * answer.status; // 500
 */
export function answerError(pipeline: AnswerPipeline, thrown: unknown, request: RequestView, responseStatus?: number): Answer {
  const ids = settleRequestIds(request, pipeline.ids);
  try {
    // Usually one error; an AggregateError of EnhancedErrors is several, and its primary one sets the status and headers.
    const { errors, primary: error } = normalizeResponseErrors(pipeline.normalize, thrown, responseStatus);
    const primary = localizedAnswer(pipeline, error, request, ids.trace);
    // Stryker disable next-line ConditionalExpression: the primary's answer is reused, not built twice; building it again gives the same answer.
    const answers = errors.map((each) => (each === error ? primary : localizedAnswer(pipeline, each, request, ids.trace)));
    const formatter = pipeline.negotiate(request);
    const body =
      answers.length > 1 && formatter.formatErrors !== undefined
        ? formatter.formatErrors(answers.map((answer) => answer.envelope))
        : formatter.formatError(primary.envelope);
    return {
      status: primary.envelope.status,
      headers: answerHeaders(pipeline.ids, ids.requestId, {
        contentType: formatter.contentType,
        errorHeaders: error.headers,
        retryAfter: retryAfterSeconds(error, pipeline.defaultRetryAfter)?.toString(),
        language: primary.locale,
      }),
      vary: answers.some((answer) => answer.varies) ? ACCEPT_AND_LANGUAGE : ACCEPT,
      body,
      sent: answers,
      scope: 'top-level',
      ...ids,
    };
  } catch (failure) {
    // Only a broken formatter gets here: nothing configurable runs to build the fallback.
    return { ...fallbackAnswer(pipeline, request, ids), failure };
  }
}

/**
 * The registry's 500, prebuilt in the format the request accepts, with the
 * response's request id and trace: for when everything else failed.
 */
export function fallbackAnswer(
  pipeline: AnswerPipeline,
  request: RequestView,
  ids: RequestIds = settleRequestIds(request, pipeline.ids),
): Answer {
  const body = pipeline.fallbackBody(request);
  return {
    status: 500,
    headers: answerHeaders(pipeline.ids, ids.requestId, { contentType: body.contentType }),
    vary: ACCEPT,
    body: bodyWithTrace(body, ids.trace),
    sent: [],
    scope: 'top-level',
    ...ids,
  };
}

/** What an answer's head holds besides the request id. */
export interface AnswerHead {
  contentType: string;
  /** The error's own headers; those the response owns, and the request id header, are skipped. */
  errorHeaders?: Readonly<Record<string, string | number>>;
  /** The Retry-After value in delay-seconds, when the answer asks the client to wait. */
  retryAfter?: string;
  /** Content-Language. */
  language?: string;
}

/** The response's headers, in the order Answer.headers lists them. */
export function answerHeaders(ids: RequestIdOptions, requestId: string, head: AnswerHead): [string, string][] {
  // The header name was checked at start-up and the id is safe: nothing here can split the response.
  const headers: [string, string][] = ids.header === undefined ? [] : [[ids.header, requestId]];
  if (head.errorHeaders !== undefined) pushErrorHeaders(headers, head.errorHeaders, ids.headerKey);
  if (head.retryAfter !== undefined) headers.push(['Retry-After', head.retryAfter]);
  headers.push(['Content-Type', head.contentType], NOSNIFF, NO_STORE);
  if (head.language !== undefined && isSafeHeader('Content-Language', head.language)) headers.push(['Content-Language', head.language]);
  return headers;
}

// The same two headers on every answer, made once (never changed by a writer).
const NOSNIFF: [string, string] = ['X-Content-Type-Options', 'nosniff'];
const NO_STORE: [string, string] = ['Cache-Control', 'no-store'];

export const ACCEPT: readonly string[] = ['Accept'];
export const ACCEPT_AND_LANGUAGE: readonly string[] = ['Accept', 'Accept-Language'];

/** Headers the error response owns; an error's own `headers` cannot replace them. */
const OWNED = new Set([
  'cache-control',
  'connection',
  'content-encoding',
  'content-language',
  'content-length',
  'content-type',
  'keep-alive',
  'retry-after',
  'set-cookie',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'vary',
  'x-content-type-options',
]);

/**
 * Room for an error's own headers, names and values together. Clients refuse
 * a response whose header section is too large (Node's default limit is
 * 16 KiB for all of it), so headers past this are dropped, not sent.
 */
export const ERROR_HEADERS_MAX_BYTES = 8192;

function pushErrorHeaders(
  into: [string, string][],
  headers: Readonly<Record<string, string | number>>,
  requestIdHeader: string | undefined,
): void {
  let room = ERROR_HEADERS_MAX_BYTES;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (OWNED.has(lower) || lower === requestIdHeader) continue;
    // Stryker disable next-line ConditionalExpression: Number.isFinite is false for anything but a number.
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      const text = String(value);
      // Valid header names and values are Latin-1: one byte per character.
      const size = name.length + text.length;
      if (size <= room && isSafeHeader(name, text)) {
        into.push([name, text]);
        room -= size;
      }
    }
  }
}
