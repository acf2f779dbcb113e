import { inspect } from 'node:util';
import { passRegistry } from '../../core/catalogs/pass-registry';
import type { EnhancedError } from '../../core/error/enhanced-error';
import type { ErrorContext, OnError } from './error-context';
import { errorLogFields } from '../../logging/log-errors';
import type { AnswerPipeline } from '../../core/answer/answer';
import { type AnswerOptions, createAnswerPipeline } from '../../core/answer/pipeline';
import type { HttpRequest } from '../http';
import { ForeignCodeError } from '../../core/normalize/normalize';
import { createTelemetry, type OpenTelemetryOption, type RecordErrors } from '../../telemetry/telemetry';

// Built once from the options and shared by every way of answering with errors:
// the error handler, sendItems and the load shedder.

export interface EnhancedErrorHandlerOptions extends AnswerOptions<HttpRequest> {
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
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new TypeError('onError option must be a function');
  if (options.log !== undefined && typeof options.log !== 'boolean') throw new TypeError('log option must be a boolean');
  const telemetry = createTelemetry(options.openTelemetry, options.registry ?? passRegistry);
  return {
    ...createAnswerPipeline(options, telemetry.generateTrace),
    report: options.onError ?? (options.log === false ? undefined : logServerError),
    tell: options.log === false ? () => {} : (line) => process.stderr.write(`express-enhanced-errors: ${line}\n`),
    recordTelemetry: telemetry.record,
  };
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
