import type { ErrorScope, SentError } from '../core/answer/answer';
import { randomUUID } from 'node:crypto';
import type { EnhancedError } from '../core/error/enhanced-error';
import type { RegistryView } from '../core/registry/registry';
import type { Attributes, CounterShape, MeterProviderShape, OpenTelemetryApi, SpanShape } from './api-shape';
import { loadOpenTelemetryApi } from './load';

export type { ErrorScope } from '../core/answer/answer';

/** Which parts of the OpenTelemetry integration run. Each is on by default when `@opentelemetry/api` is installed. */
export interface OpenTelemetryOptions {
  /** The body's `trace` is the active span's trace id (32 hex digits) when a valid span is active. Default: true. */
  trace?: boolean;
  /** The code and action on the server span; a 5xx also sets ERROR status, `error.type` and the original exception. Default: true. */
  spans?: boolean;
  /** One `http.server.enhanced_errors` increment per error, item errors included. Default: true. */
  metrics?: boolean;
  /**
   * The `@opentelemetry/api` module itself, for runtimes where this package
   * cannot `require` it (Deno, Workers, an ES module bundle). Default: required when installed.
   */
  api?: OpenTelemetryApi;
}

/** `true` (the default) for everything, `false` for nothing, or each part on its own. */
export type OpenTelemetryOption = boolean | OpenTelemetryOptions;

/** Where an error was sent: as the response, or inside one item of a `200 OK` response. */

/** The names this package writes, for dashboards and alerts. */
export const TELEMETRY_NAMES = {
  meter: 'express-enhanced-errors',
  counter: 'http.server.enhanced_errors',
  code: 'enhanced_error.code',
  action: 'enhanced_error.action',
  scope: 'enhanced_error.scope',
  errorType: 'error.type',
  statusCode: 'http.response.status_code',
  itemEvent: 'enhanced_error.item',
} as const;

/** The `error.type` of a code no registry defines: semantic conventions' name for "something else". */
const OTHER = '_OTHER';

/** One handled error as the handler and sendItems have it; items that did not fail have neither. */

export type RecordErrors = (errors: readonly SentError[], scope: ErrorScope) => void;

export interface ErrorTelemetry {
  /** The trace to use when none was configured, or undefined for the default random UUID. */
  generateTrace: (() => string) | undefined;
  /** Annotates the server span and counts; undefined when there is nothing to do. */
  record: RecordErrors | undefined;
}

const NOTHING: ErrorTelemetry = { generateTrace: undefined, record: undefined };

/** Checks the option now; loads `@opentelemetry/api` once, when some part is on. */
export function createTelemetry(option: OpenTelemetryOption | undefined, registry: RegistryView): ErrorTelemetry {
  const parts = telemetryParts(option);
  if (!parts.trace && !parts.spans && !parts.metrics) return NOTHING;
  const api = parts.api ?? loadOpenTelemetryApi();
  if (api === undefined) return NOTHING;
  return {
    generateTrace: parts.trace ? () => activeTraceIdIn(api) ?? randomUUID() : undefined,
    record: parts.spans || parts.metrics ? errorRecorder(api, registry, parts) : undefined,
  };
}

/** Just the trace part, for `requestContext`: the active span's trace id, or undefined for the default. */
export function createTraceGenerator(option: OpenTelemetryOption | undefined): (() => string) | undefined {
  const parts = telemetryParts(option);
  if (!parts.trace) return undefined;
  const api = parts.api ?? loadOpenTelemetryApi();
  return api === undefined ? undefined : () => activeTraceIdIn(api) ?? randomUUID();
}

type TelemetryParts = Required<Omit<OpenTelemetryOptions, 'api'>> & Pick<OpenTelemetryOptions, 'api'>;

function telemetryParts(option: OpenTelemetryOption | undefined): TelemetryParts {
  if (option === undefined || option === true) return { trace: true, spans: true, metrics: true };
  if (option === false) return { trace: false, spans: false, metrics: false };
  if (typeof option !== 'object' || option === null)
    throw new TypeError('openTelemetry option must be a boolean or { trace, spans, metrics, api }');
  const parts = { trace: option.trace ?? true, spans: option.spans ?? true, metrics: option.metrics ?? true };
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value !== 'boolean') throw new TypeError(`openTelemetry.${name} option must be a boolean`);
  }
  const { api } = option;
  if (api !== undefined && !isOpenTelemetryApi(api)) throw new TypeError('openTelemetry.api option must be the @opentelemetry/api module');
  return { ...parts, api };
}

/** What of the module is called: a wrong object fails at start-up, not on the first error. */
function isOpenTelemetryApi(api: unknown): api is OpenTelemetryApi {
  const { trace, context, metrics } = (typeof api === 'object' && api !== null ? api : {}) as Record<string, unknown>;
  return [trace, context, metrics].every((part) => typeof part === 'object' && part !== null);
}

/** The trace id of the active span, or undefined without a valid one. */
export function activeTraceIdIn(api: OpenTelemetryApi): string | undefined {
  const spanContext = api.trace.getSpan(api.context.active())?.spanContext();
  return spanContext !== undefined && api.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

function errorRecorder(api: OpenTelemetryApi, registry: RegistryView, parts: TelemetryParts): RecordErrors {
  // The HTTP instrumentation keeps its server span here (@opentelemetry/core's RPC metadata),
  // while the active span may be a middleware's.
  const rpcMetadataKey = api.createContextKey('OpenTelemetry SDK Context Key RPC_METADATA');
  // A redacted 5xx's cause may reach here again (an AggregateError listing it twice, a second handler).
  const recorded = new WeakSet<object>();
  let counted: { provider: MeterProviderShape; counter: CounterShape } | undefined;

  // The global meter provider may be registered after start-up: the counter follows it.
  function counter(): CounterShape {
    const provider = api.metrics.getMeterProvider();
    if (counted?.provider !== provider) {
      const meter = provider.getMeter(TELEMETRY_NAMES.meter);
      counted = {
        provider,
        counter: meter.createCounter(TELEMETRY_NAMES.counter, {
          description: 'Errors answered, by code; item-level errors included.',
          unit: '{error}',
        }),
      };
    }
    return counted.counter;
  }

  function serverSpan(): SpanShape | undefined {
    const active = api.context.active();
    const metadata = active.getValue(rpcMetadataKey) as { span?: SpanShape } | undefined;
    const span = isSpan(metadata?.span) ? metadata.span : api.trace.getSpan(active);
    return span?.isRecording() ? span : undefined;
  }

  function recordOriginal(span: SpanShape, error: EnhancedError): void {
    const original = error.cause === undefined ? error : error.cause;
    if (typeof original === 'object' && original !== null) {
      if (recorded.has(original)) return;
      recorded.add(original);
    }
    span.recordException(exceptionOf(original));
  }

  function annotate(span: SpanShape, errors: readonly SentErrorWithEnvelope[], scope: ErrorScope): void {
    if (scope === 'top-level') {
      // The error that set the response's status, as the handler chooses it.
      const primary = errors.find(({ envelope }) => envelope.status >= 500) ?? errors[0];
      if (primary === undefined) return;
      span.setAttribute(TELEMETRY_NAMES.code, primary.envelope.code);
      span.setAttribute(TELEMETRY_NAMES.action, primary.envelope.action);
      if (primary.envelope.status >= 500) {
        // HTTP server conventions: only a 5xx is the server's error.
        span.setStatus({ code: api.SpanStatusCode.ERROR });
        span.setAttribute(TELEMETRY_NAMES.errorType, errorTypeOf(primary.envelope.code));
      }
    } else {
      // The response is 200: the span's status stays; each failed item is an event.
      for (const { envelope } of errors) {
        span.addEvent(TELEMETRY_NAMES.itemEvent, {
          [TELEMETRY_NAMES.code]: envelope.code,
          [TELEMETRY_NAMES.action]: envelope.action,
          [TELEMETRY_NAMES.statusCode]: envelope.status,
        });
      }
    }
    for (const { error, envelope } of errors) if (envelope.status >= 500) recordOriginal(span, error);
  }

  function errorTypeOf(code: string): string {
    return registry.has(code) ? code : OTHER;
  }

  return function recordErrors(reported, scope) {
    try {
      const errors = reported.filter(hasEnvelope);
      if (errors.length === 0) return;
      if (parts.spans) {
        const span = serverSpan();
        if (span !== undefined) annotate(span, errors, scope);
      }
      if (parts.metrics) {
        const errorCounter = counter();
        for (const { envelope } of errors) {
          const attributes: Attributes = {
            [TELEMETRY_NAMES.errorType]: errorTypeOf(envelope.code),
            [TELEMETRY_NAMES.action]: envelope.action,
            [TELEMETRY_NAMES.statusCode]: envelope.status,
            [TELEMETRY_NAMES.scope]: scope,
          };
          errorCounter.add(1, attributes);
        }
      }
    } catch {
      // Telemetry never changes a response that is already written.
    }
  };
}

type SentErrorWithEnvelope = Required<SentError>;

function hasEnvelope(reported: SentError): reported is SentErrorWithEnvelope {
  return reported.error !== undefined && reported.envelope !== undefined;
}

function isSpan(value: unknown): value is SpanShape {
  return typeof value === 'object' && value !== null && typeof (value as Partial<SpanShape>).setAttribute === 'function';
}

/** What recordException takes: an Error as is, anything else thrown as its string. */
function exceptionOf(value: unknown): Error | string {
  if (value instanceof Error) return value;
  if (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string') return value as Error;
  try {
    return String(value);
  } catch {
    return 'non-error value thrown';
  }
}
