import { type Answer, type AnswerPipeline, answerError, fallbackAnswer } from '../../core/answer/answer';
import { type AnswerOptions, createAnswerPipeline } from '../../core/answer/pipeline';
import { passRegistry } from '../../core/catalogs/pass-registry';
import type { Envelope } from '../../core/envelope/envelope';
import type { EnhancedError } from '../../core/error/enhanced-error';
import { createItemAnswerer, type ItemOptions, type ItemsResponse, type ReadItems } from '../../core/items/answer-items';
import { ForeignCodeError } from '../../core/normalize/normalize';
import { createTelemetry, type OpenTelemetryOption, type RecordErrors } from '../../telemetry/telemetry';
import { keepRequestIds, requestViewOf } from './request-view';
import { responseOf } from './write-response';

/** What onError gets besides the error: the request and what its client was told. */
export interface FetchErrorContext {
  request: Request;
  /** The fields sent to the client. */
  envelope: Envelope;
  requestId: string;
  trace: string;
}

/**
 * Called once per answered error (once per error of an AggregateError, once
 * per failed item) with the normalized error; for a redacted 5xx,
 * `error.cause` is what was thrown.
 */
export type FetchOnError = (error: EnhancedError, context: FetchErrorContext) => void;

export interface FetchErrorOptions extends AnswerOptions<Request>, ItemOptions {
  /** The active span's trace id as the trace, span attributes and the error counter, when `@opentelemetry/api` can be loaded. Default: true. */
  openTelemetry?: OpenTelemetryOption;
  onError?: FetchOnError;
  /** Default logging of 5xx with console.error when no onError is given. Default: true. */
  log?: boolean;
}

/** Error answers for one configuration, each a standard `Response`. */
export interface FetchErrorHandler {
  /** The Response for what a handler threw. Never throws. */
  toResponse(thrown: unknown, request: Request): Response;
  /** A 404 negotiated like any error. */
  notFound(request: Request): Response;
  /**
   * `200 OK` with every item, failed ones carrying item-level errors. Throws a
   * TypeError when an item is not plain JSON data: the route's mistake.
   */
  itemsResponse(request: Request, response: ItemsResponse): Response;
  /** The request's list of items, or throws the top-level error that answers the whole request. */
  readItems: ReadItems;
}

interface FetchPipeline extends AnswerPipeline {
  report: FetchOnError | undefined;
  /** A line about the library's own faults; nothing with the `log` option false. */
  tell: (line: string, detail: unknown) => void;
  recordTelemetry: RecordErrors | undefined;
}

/**
 * Builds the error answers for Fetch API runtimes (Hono, Bun, Deno, Workers,
 * Next.js route handlers) from one options object, checked now.
 *
 * @example
 * const errors = fetchErrorHandler({ registry });
 * Bun.serve({ fetch: (request) => route(request).catch((thrown) => errors.toResponse(thrown, request)) });
 */
export function fetchErrorHandler(options: FetchErrorOptions = {}): FetchErrorHandler {
  if (typeof options !== 'object' || options === null) throw new TypeError('fetchErrorHandler: options must be an object');
  const pipeline = createFetchPipeline(options);
  const { readItems, answerItems } = createItemAnswerer(pipeline, options);

  function respond(request: Request, answer: Answer): Response {
    keepRequestIds(request, answer);
    if (answer.failure !== undefined) pipeline.tell('the error handler failed', answer.failure);
    const response = responseOf(answer);
    // The prebuilt 500 of a failed answer lists no errors sent: nothing is reported for it.
    recordAndReport(pipeline, answer, request);
    return response;
  }

  function toResponse(thrown: unknown, request: Request): Response {
    const view = requestViewOf(request);
    try {
      return respond(request, answerError(pipeline, thrown, view));
    } catch (failure) {
      // Only a Request that cannot be read gets here; its answer is the prebuilt 500.
      pipeline.tell('the error handler failed', failure);
      // Stryker disable next-line StringLiteral: the prebuilt answer reads no method.
      return responseOf(fallbackAnswer(pipeline, { method: 'GET', header: () => undefined, raw: request }));
    }
  }

  return {
    toResponse,
    notFound: (request) => toResponse({ status: 404 }, request),
    itemsResponse: (request, response) => respond(request, answerItems(requestViewOf(request), response, 'itemsResponse')),
    readItems,
  };
}

/**
 * `build` once per options object: a call that passes the same object again
 * gets the handler built the first time, its options checked then.
 */
export function builtOncePerOptions(
  build: (options: FetchErrorOptions) => FetchErrorHandler,
): (options: FetchErrorOptions) => FetchErrorHandler {
  const built = new WeakMap<FetchErrorOptions, FetchErrorHandler>();
  return (options) => {
    let handler = built.get(options);
    if (handler === undefined) {
      handler = build(options);
      built.set(options, handler);
    }
    return handler;
  };
}

const handlerFor = builtOncePerOptions(fetchErrorHandler);
const NO_OPTIONS: FetchErrorOptions = {};

/**
 * The Response for what a handler threw. The options are checked and built
 * once per options object: pass the same object each time (or keep a
 * `fetchErrorHandler`).
 *
 * @example
 * export default { fetch: (request: Request) => handle(request).catch((thrown) => toResponse(thrown, request, options)) };
 */
export function toResponse(thrown: unknown, request: Request, options?: FetchErrorOptions): Response {
  return handlerFor(options ?? NO_OPTIONS).toResponse(thrown, request);
}

function createFetchPipeline(options: FetchErrorOptions): FetchPipeline {
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('onError option must be a function');
  if (options.log !== undefined && typeof options.log !== 'boolean') throw new TypeError('log option must be a boolean');
  const telemetry = createTelemetry(options.openTelemetry, options.registry ?? passRegistry);
  const tell =
    options.log === false ? () => {} : (line: string, detail: unknown) => console.error(`express-enhanced-errors: ${line}`, detail);
  return {
    ...createAnswerPipeline(options, telemetry.generateTrace),
    report: options.onError ?? (options.log === false ? undefined : logServerError),
    tell,
    recordTelemetry: telemetry.record,
  };
}

function recordAndReport(pipeline: FetchPipeline, answer: Answer, request: Request): void {
  const { sent, scope, requestId, trace } = answer;
  pipeline.recordTelemetry?.(sent, scope);
  const { report } = pipeline;
  if (report === undefined) return;
  for (const { error, envelope } of sent) {
    if (error === undefined || envelope === undefined) continue;
    try {
      report(error, { request, envelope, requestId, trace });
    } catch (failure) {
      pipeline.tell('onError threw', failure);
    }
  }
}

/** The default: a line for each 5xx (the service's own failures) and for a foreign code answered with another. */
function logServerError(error: EnhancedError, { request, envelope, requestId, trace }: FetchErrorContext): void {
  if (error.cause instanceof ForeignCodeError) console.error(`express-enhanced-errors: ${error.cause.message}`);
  if (envelope.status < 500) return;
  const path = new URL(request.url).pathname.slice(0, 2048).replace(/[^\x21-\x7e]/g, encodeURIComponent);
  console.error(
    `express-enhanced-errors: ${envelope.status} ${envelope.code} ${request.method} ${path} trace=${trace} requestId=${requestId}`,
    error.cause ?? error,
  );
}
