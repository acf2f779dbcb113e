import { loadOpenTelemetryApi } from './load';
import { activeTraceIdIn } from './telemetry';

export { TELEMETRY_NAMES, type ErrorScope, type OpenTelemetryOption, type OpenTelemetryOptions } from './telemetry';

/**
 * The trace id (32 hex digits) of the active OpenTelemetry span, or undefined
 * when `@opentelemetry/api` is not installed or no valid span is active. The
 * handler uses it for `trace` by default; this is for other places, such as
 * a log line written before any error.
 *
 * @example
 * import { activeTraceId } from 'express-enhanced-errors/telemetry';
 * app.use((req, res, next) => { res.setHeader('X-Trace-Id', activeTraceId() ?? 'none'); next(); });
 */
export function activeTraceId(): string | undefined {
  const api = loadOpenTelemetryApi();
  return api === undefined ? undefined : activeTraceIdIn(api);
}
