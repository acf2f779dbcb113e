import { inspect } from 'node:util';
import { passRegistry } from '../../core/catalogs/pass-registry';
import { createEnvelopeBuilder, DEFAULT_RETRY_AFTER, type Envelope } from '../../core/envelope/envelope';
import type { FieldLimits } from '../../core/envelope/limits';
import type { EnhancedError } from '../../core/error/enhanced-error';
import type { Formatter } from '../../core/formats/formatter';
import { DEFAULT_FORMATTERS } from '../../core/formats/defaults';
import { htmlPageFormatter } from '../../core/formats/html';
import { jsonFormatter } from '../../core/formats/json';
import { assertFormatters, createNegotiator } from '../../core/formats/negotiate';
import { problemJsonFormatter, problemXmlFormatter } from '../../core/formats/problem';
import { xmlFormatter } from '../../core/formats/xml';
import type { ErrorContext, OnError } from './error-context';
import { errorLogFields } from '../../logging/log-errors';
import { createRequestIdOptions } from '../../core/answer/request-view';
import type { RequestView } from '../../core/answer/request-view';
import type { AnswerPipeline } from '../../core/answer/answer';
import type { HelpUrlOption, HttpRequest } from '../http';
import { createNormalizer, ForeignCodeError, type StatusCodeMap, type StrictCodes } from '../../core/normalize/normalize';
import { type MapperOptions, resolveMappers, withMappers } from '../../core/normalize/mappers';
import type { RegistryView } from '../../core/registry/registry';
import { isRetryAfter } from '../../core/registry/validate';
import { type PrebuiltBody, prebuildBody, TRACE_MARK } from '../../core/answer/prebuilt';
import { createTelemetry, type OpenTelemetryOption, type RecordErrors } from '../../telemetry/telemetry';

// Built once from the options and shared by every way of answering with errors:
// the error handler, sendItems and the load shedder.

export interface EnhancedErrorHandlerOptions extends MapperOptions {
  /** Where codes for thrown non-EnhancedErrors come from. Default: passRegistry. */
  registry?: RegistryView;
  /** HTTP status → registry code for thrown errors that carry only a status; merged over the defaults. */
  statusCodes?: StatusCodeMap;
  /**
   * An EnhancedError whose code the registry lacks: `'map'` answers the
   * registry's code for its status (told once per code to onError or the
   * log), `'keep'` sends it as it is. Default: `'map'`.
   */
  strictCodes?: StrictCodes;
  /** The wire shapes offered, e.g. add problemJsonFormatter. Default: JSON and XML. */
  formatters?: readonly Formatter[];
  /** The media type answered when Accept is missing, `*\/*` or matches nothing. Default: application/json. */
  defaultType?: string;
  /**
   * A small HTML page for a request whose Accept names text/html and ranks it
   * first among the types offered (a browser's navigation), unless a
   * configured formatter offers text/html. `false`: the normal negotiation
   * only. Default: true.
   */
  htmlPage?: boolean;
  /** Used when the thrown error has no helpUrl of its own, before the registry's. */
  helpUrl?: HelpUrlOption;
  /** Size limits: message and details are cut, a longer helpUrl is refused. Default: DEFAULT_FIELD_LIMITS. */
  limits?: FieldLimits;
  /** Retry-After seconds for `retry-after` errors that set none. Default: 60. */
  retryAfter?: number;
  /** The request id header, echoed when safe. Default: X-Request-Id; false turns it off. */
  requestIdHeader?: string | false;
  /** Makes the per-response trace. Default: the active OpenTelemetry span's trace id, else a random UUID. */
  generateTrace?: () => string;
  /** Traces, span attributes and the error counter when `@opentelemetry/api` is installed. Default: true. */
  openTelemetry?: OpenTelemetryOption;
  onError?: OnError;
  /** Default logging of 5xx to stderr when no onError is given. Default: true. */
  log?: boolean;
}

/**
 * Everything the handler decides at start-up, shared with every other way of
 * answering with errors so that they all normalize, redact and negotiate alike.
 */
export interface ErrorPipeline extends AnswerPipeline {
  report: OnError | undefined;
  /** A line about the library's own faults for stderr; nothing with the `log` option false. */
  tell: (line: string) => void;
  /** Spans and metrics for each answered error, when OpenTelemetry is there. */
  recordTelemetry: RecordErrors | undefined;
}

/** Checks every option now, so that a bad configuration fails at start-up. */
export function createErrorPipeline(options: EnhancedErrorHandlerOptions = {}): ErrorPipeline {
  const registry = options.registry ?? passRegistry;
  const formatters = options.formatters ?? DEFAULT_FORMATTERS;
  const defaultType = options.defaultType ?? 'application/json';
  const defaultRetryAfter = options.retryAfter ?? DEFAULT_RETRY_AFTER;
  const htmlPage = options.htmlPage === undefined ? true : options.htmlPage;
  assertFormatters(formatters);
  if (typeof htmlPage !== 'boolean') throw new TypeError('htmlPage option must be a boolean');
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('onError option must be a function');
  if (options.log !== undefined && typeof options.log !== 'boolean') throw new TypeError('log option must be a boolean');
  if (typeof defaultRetryAfter !== 'number' || !isRetryAfter(defaultRetryAfter)) {
    throw new TypeError('retryAfter option must be a non-negative integer of seconds');
  }
  const normalize = createNormalizer({ registry, statusCodes: options.statusCodes, strictCodes: options.strictCodes });
  const telemetry = createTelemetry(options.openTelemetry, registry);
  const extra = htmlPage ? [htmlPageFormatter] : [];
  return {
    registry,
    // Made now, without mappers: the registry's own 500.
    fallbackBody: prebuildFallback(normalize(undefined), defaultType, extra),
    formatters: [...formatters, ...extra],
    defaultType,
    normalize: withMappers(normalize, resolveMappers(registry, normalize, options)),
    buildEnvelope: createEnvelopeBuilder({ helpUrl: options.helpUrl, limits: options.limits }),
    negotiate: createNegotiator(formatters, defaultType, extra),
    ids: createRequestIdOptions(options.requestIdHeader, options.generateTrace ?? telemetry.generateTrace),
    defaultRetryAfter,
    report: options.onError ?? (options.log === false ? undefined : logServerError),
    tell: options.log === false ? () => {} : (line) => process.stderr.write(`express-enhanced-errors: ${line}\n`),
    recordTelemetry: telemetry.record,
  };
}

/** The built-in formats, for the body sent when answering failed: each needs nothing configurable. */
const FALLBACK_FORMATTERS: readonly Formatter[] = [jsonFormatter, xmlFormatter, problemJsonFormatter, problemXmlFormatter];

/**
 * The registry's 500 written now in every built-in format (and the HTML page
 * when offered), and the negotiation that picks one by Accept: answering
 * with it needs no formatter to run, so that it works when one failed.
 */
function prebuildFallback(
  internalError: EnhancedError,
  defaultType: string,
  extra: readonly Formatter[],
): (request: RequestView) => PrebuiltBody {
  const { action, code, message } = internalError;
  const envelope: Envelope = { action, status: 500, code, message, trace: TRACE_MARK };
  const bodies = new Map([...FALLBACK_FORMATTERS, ...extra].map((formatter) => [formatter, prebuildBody(formatter, envelope)]));
  const offered = FALLBACK_FORMATTERS.some((formatter) => formatter.mediaTypes.includes(defaultType)) ? defaultType : 'application/json';
  const negotiate = createNegotiator(FALLBACK_FORMATTERS, offered, extra);
  return (request) => bodies.get(negotiate(request)) as PrebuiltBody;
}

export function safeReport(report: OnError, error: EnhancedError, context: ErrorContext): void {
  try {
    report(error, context);
  } catch (failure) {
    process.stderr.write(`express-enhanced-errors: onError threw: ${describeSafely(failure)}\n`);
  }
}

/**
 * The default: 5xx are the service's own failures and are worth a line; 4xx
 * are the client's. A foreign code answered with another is the service's
 * mistake, whatever the status: one line the first time.
 */
function logServerError(error: EnhancedError, context: ErrorContext): void {
  if (error.cause instanceof ForeignCodeError) process.stderr.write(`express-enhanced-errors: ${error.cause.message}\n`);
  const { status, code, trace, requestId, err } = errorLogFields(error, context);
  if (status < 500) return;
  const { method, path } = requestLine(context.req);
  process.stderr.write(
    `express-enhanced-errors: ${status} ${code} ${method} ${path} trace=${trace} requestId=${requestId}\n${describeSafely(err)}\n`,
  );
}

/**
 * The request's method and path for a log line: never the query string,
 * which may carry tokens; characters that could forge a log line are escaped.
 */
export function requestLine(req: HttpRequest): { method: string; path: string } {
  const expressReq = req as HttpRequest & { originalUrl?: unknown };
  const url = typeof expressReq.originalUrl === 'string' ? expressReq.originalUrl : (req.url ?? '');
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const method = typeof req.method === 'string' ? req.method : '-';
  return { method: escapeForLog(method), path: escapeForLog(path.slice(0, 2048)) || '-' };
}

function escapeForLog(text: string): string {
  return text.replace(/[^\x21-\x7e]/g, (char) => encodeURIComponent(char));
}

export function describeSafely(value: unknown): string {
  try {
    return inspect(value, { depth: 3, breakLength: Infinity });
  } catch {
    return '[uninspectable value]';
  }
}
