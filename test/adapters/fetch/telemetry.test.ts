import * as api from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { passRegistry } from '../../../src';
import type * as FetchAdapter from '../../../src/adapters/fetch';
import { TELEMETRY_NAMES } from '../../../src/telemetry';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const spans = new InMemorySpanExporter();
let provider: NodeTracerProvider;

beforeAll(() => {
  provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  provider.register();
});
afterAll(async () => {
  await provider.shutdown();
  api.trace.disable();
  api.context.disable();
});

/** The body's trace and the span's trace id, for an error answered inside an active span. */
async function answeredInSpan(adapter: typeof FetchAdapter, options: FetchAdapter.FetchErrorOptions) {
  const errors = adapter.fetchErrorHandler({ log: false, ...options });
  const { response, traceId } = api.trace.getTracer('test').startActiveSpan('server', (span) => {
    const answered = errors.toResponse(passRegistry.create('authorization_denied_by_mvpd'), new Request('http://localhost/'));
    span.end();
    return { response: answered, traceId: span.spanContext().traceId };
  });
  const { trace } = (await response.json()) as { trace: string };
  return { trace, traceId };
}

describe('the Fetch adapter with the real OpenTelemetry SDK', () => {
  it('answers with the active span’s trace id and annotates the span', async () => {
    const adapter = jest.requireActual<typeof FetchAdapter>('../../../src/adapters/fetch');
    spans.reset();
    const { trace, traceId } = await answeredInSpan(adapter, {});
    expect(trace).toBe(traceId);
    expect(spans.getFinishedSpans()[0]?.attributes).toMatchObject({ [TELEMETRY_NAMES.code]: 'authorization_denied_by_mvpd' });
  });

  it('uses the api option where @opentelemetry/api cannot be required (an ES module runtime), else a random UUID', async () => {
    let adapter: typeof FetchAdapter | undefined;
    jest.isolateModules(() => {
      jest.doMock('@opentelemetry/api', () => {
        throw new Error("Cannot find module '@opentelemetry/api'");
      });
      adapter = jest.requireActual<typeof FetchAdapter>('../../../src/adapters/fetch');
    });
    if (adapter === undefined) throw new Error('adapter not loaded');
    expect((await answeredInSpan(adapter, {})).trace).toMatch(UUID);
    const given = await answeredInSpan(adapter, { openTelemetry: { api } });
    expect(given.trace).toBe(given.traceId);
    expect(() => adapter?.fetchErrorHandler({ openTelemetry: { api: {} as never } })).toThrow(
      'openTelemetry.api option must be the @opentelemetry/api module',
    );
  });
});
