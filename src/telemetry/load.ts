import type { OpenTelemetryApi } from './api-shape';

let loaded: OpenTelemetryApi | null | undefined;

/**
 * `@opentelemetry/api` when the application has it installed, else
 * undefined. Required once, lazily, so that the package never needs it.
 */
export function loadOpenTelemetryApi(): OpenTelemetryApi | undefined {
  if (loaded === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require('@opentelemetry/api') as OpenTelemetryApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
