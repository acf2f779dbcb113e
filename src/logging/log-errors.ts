import type { EnhancedError } from '../core/error/enhanced-error';
import type { HttpRequest } from '../adapters/http';
import type { Action } from '../core/registry/actions';
import type { ErrorContext, OnError } from '../adapters/express/error-context';

/** One handled error as structured log data. */
export interface ErrorLogFields {
  code: string;
  action: Action;
  status: number;
  requestId: string;
  trace: string;
  /**
   * 5xx only, for operators: what was thrown. A redacted 5xx keeps it as
   * `error.cause`; a 5xx a route threw itself is its own record. Under this
   * key pino's error serializer writes its type, message and stack.
   */
  err?: unknown;
}

/**
 * The fields of one handled error: what the client was told, and for a 5xx what actually went wrong.
 *
 * @example
 * app.use(enhancedErrorHandler({ onError: (error, context) => myLogger.warn(errorLogFields(error, context), error.message) }));
 */
export function errorLogFields(error: EnhancedError, { envelope, requestId, trace }: ErrorContext): ErrorLogFields {
  const fields: ErrorLogFields = { code: envelope.code, action: envelope.action, status: envelope.status, requestId, trace };
  if (envelope.status >= 500) fields.err = error.cause === undefined ? error : error.cause;
  return fields;
}

type LogMethod = (fields: ErrorLogFields, message: string) => void;

/** What `logErrors` needs of a logger; a pino logger (or pino-http's `req.log`) fits. */
export interface ErrorLogger {
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
}

export interface LogErrorsOptions {
  /** The level of 4xx lines, or false for none. 5xx are logged at `error`. Default: `info`. */
  clientErrors?: 'warn' | 'info' | 'debug' | false;
}

/**
 * An `onError` that writes one structured line per handled error:
 * `enhancedErrorHandler({ onError: logErrors(logger) })`, or
 * `logErrors((req) => req.log)` for a per-request logger.
 *
 * @example
 * app.use(pinoHttp({ logger }));
 * app.use(enhancedErrorHandler({ onError: logErrors((req) => req.log, { clientErrors: 'warn' }) }));
 */
export function logErrors(
  /** A logger, or a function of the request returning one: pino-http's `req.log` is typed here, as it adds one. */
  logger: ErrorLogger | ((req: HttpRequest & { readonly log?: ErrorLogger }) => ErrorLogger | undefined),
  options: LogErrorsOptions = {},
): OnError {
  const { clientErrors = 'info' } = options;
  if (clientErrors !== false && !['warn', 'info', 'debug'].includes(clientErrors)) {
    throw new TypeError(`logErrors: clientErrors must be "warn", "info", "debug" or false, got ${JSON.stringify(clientErrors)}`);
  }
  if (typeof logger !== 'function' && (typeof logger !== 'object' || logger === null || typeof logger.error !== 'function')) {
    throw new TypeError('logErrors: logger must be a logger (error/warn/info/debug methods) or a function of the request returning one');
  }
  const loggerFor = typeof logger === 'function' ? logger : () => logger;
  return function logError(error, context) {
    const level = context.envelope.status >= 500 ? 'error' : clientErrors;
    const target = level === false ? undefined : loggerFor(context.req);
    if (target === undefined || level === false) return;
    target[level](errorLogFields(error, context), `${context.envelope.status} ${context.envelope.code}`);
  };
}
