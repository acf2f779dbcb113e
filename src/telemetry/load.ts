import type { OpenTelemetryApi } from './api-shape';

let loaded: OpenTelemetryApi | null | undefined;

/**
 * A name, not a literal in the call: bundlers then leave the require alone
 * instead of pulling the API into every bundle (a Worker's among them, where
 * `require` does not exist and the `openTelemetry.api` option hands it in).
 */
const API_MODULE = '@opentelemetry/api';

/**
 * `@opentelemetry/api` when the application has it installed, else
 * undefined. Required once, lazily, so that the package never needs it.
 */
export function loadOpenTelemetryApi(): OpenTelemetryApi | undefined {
  if (loaded === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(API_MODULE) as OpenTelemetryApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
