import type { HttpRequest, HttpResponse, NextFunction } from '../http';
import { createTraceGenerator, type OpenTelemetryOption } from '../../telemetry/telemetry';
import { createRequestIdOptions, settleRequestIds } from '../../core/answer/request-view';
import { keepRequestIds, requestViewOf } from './request-context';

export interface RequestContextOptions {
  /** The request id header, echoed when safe. Default: X-Request-Id; false turns it off. Use the handler's value. */
  requestIdHeader?: string | false;
  /** Makes the per-response trace. Default: the active OpenTelemetry span's trace id, else a random UUID. Use the handler's value. */
  generateTrace?: () => string;
  /** Whether `trace` comes from OpenTelemetry when no generateTrace is given. Default: true. Use the handler's value. */
  openTelemetry?: OpenTelemetryOption;
}

/**
 * Settles the request id and trace when a request comes in, on `res.locals`
 * and in the response header, so that a request logger mounted after it
 * (pino-http's `genReqId`, `customProps`) logs the ids the error handler
 * will send and log: the handler reuses them.
 *
 * @example
 * app.use(requestContext()); // first, so that the request logger sees the ids the handler will send
 * app.use(pinoHttp({ customProps: (req, res) => ({ ...requestContextOf(res) }) }));
 */
export function requestContext(options: RequestContextOptions = {}): (req: HttpRequest, res: HttpResponse, next: NextFunction) => void {
  const ids = createRequestIdOptions(options.requestIdHeader, options.generateTrace ?? createTraceGenerator(options.openTelemetry));
  return function requestContext(req, res, next) {
    const settled = settleRequestIds(requestViewOf(req, res), ids);
    // The name was checked at start-up and the id is safe: nothing here can split the response.
    if (ids.header !== undefined) res.setHeader(ids.header, settled.requestId);
    keepRequestIds(res, settled);
    next();
  };
}
