/**
 * The few parts of `@opentelemetry/api` this package uses, written out so that
 * the published types never name that package: users without it still
 * compile. test/telemetry/options.test.ts checks the real API fits.
 */

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue | undefined>;

export interface SpanContextShape {
  traceId: string;
  spanId: string;
}

export interface SpanShape {
  spanContext(): SpanContextShape;
  isRecording(): boolean;
  setAttribute(key: string, value: AttributeValue): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error | string): void;
  addEvent(name: string, attributes?: Attributes): unknown;
}

export interface ContextShape {
  getValue(key: symbol): unknown;
}

export interface CounterShape {
  add(value: number, attributes?: Attributes): void;
}

export interface MeterProviderShape {
  getMeter(
    name: string,
    version?: string,
  ): { createCounter(name: string, options?: { description?: string; unit?: string }): CounterShape };
}

export interface OpenTelemetryApi {
  trace: { getSpan(context: ContextShape): SpanShape | undefined };
  context: { active(): ContextShape };
  metrics: { getMeterProvider(): MeterProviderShape };
  isSpanContextValid(spanContext: SpanContextShape): boolean;
  createContextKey(description: string): symbol;
  SpanStatusCode: { ERROR: number };
}
