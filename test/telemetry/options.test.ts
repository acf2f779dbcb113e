import { context, metrics, trace } from '@opentelemetry/api';
import * as openTelemetryApi from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { RequestHandler } from 'express';
import request from 'supertest';
import { enhancedErrorHandler, type EnhancedErrorHandlerOptions, passRegistry, requestContext, requestContextOf } from '../../src';
import type { OpenTelemetryApi } from '../../src/telemetry/api-shape';
import { activeTraceId, TELEMETRY_NAMES } from '../../src/telemetry';
import { appWith, express5Only, type ExpressFactory } from '../support/apps';

// The package's own description of the API must fit the real one; `npm run typecheck` fails otherwise.
const fits: OpenTelemetryApi = openTelemetryApi;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const routes: Record<string, RequestHandler> = {
  '/forbidden': () => {
    throw passRegistry.create('authorization_denied_by_mvpd');
  },
};

/** A span around each request, as the HTTP instrumentation would start; jest's module system keeps that instrumentation out. */
function tracedApp(express: ExpressFactory, options: EnhancedErrorHandlerOptions, seen: string[] = []) {
  const app = express();
  app.use((_req, res, next) => {
    trace.getTracer('test').startActiveSpan('server', (span) => {
      seen.push(span.spanContext().traceId);
      res.on('finish', () => span.end());
      next();
    });
  });
  const handled = appWith(express, routes, options);
  app.use(handled);
  return app;
}

describe('openTelemetry option', () => {
  it('is checked at start-up', () => {
    expect(() => enhancedErrorHandler({ openTelemetry: 'on' as never })).toThrow(
      new TypeError('openTelemetry option must be a boolean or { trace, spans, metrics, api }'),
    );
    expect(() => enhancedErrorHandler({ openTelemetry: { spans: 1 as never } })).toThrow(
      new TypeError('openTelemetry.spans option must be a boolean'),
    );
    expect(() => requestContext({ openTelemetry: { trace: 'no' as never } })).toThrow(
      new TypeError('openTelemetry.trace option must be a boolean'),
    );
    expect(fits.SpanStatusCode.ERROR).toBe(2);
  });
});

describe.each(express5Only)('%s: @opentelemetry/api installed', (_name, express) => {
  describe('without a registered provider', () => {
    it('answers with a random UUID trace, as without OpenTelemetry', async () => {
      const res = await request(appWith(express, routes))
        .get('/forbidden')
        .set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      expect(res.status).toBe(403);
      expect(res.body.trace).toMatch(UUID);
      expect(activeTraceId()).toBeUndefined();
    });
  });

  describe('with a provider and an active span', () => {
    const spans = new InMemorySpanExporter();
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
    let tracerProvider: NodeTracerProvider;

    beforeAll(() => {
      tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
      tracerProvider.register();
    });
    afterAll(async () => {
      await tracerProvider.shutdown();
      trace.disable();
      context.disable();
      metrics.disable();
    });

    it('uses the span trace id, in the body and for requestContext', async () => {
      const seen: string[] = [];
      const app = tracedApp(express, {}, seen);
      const res = await request(app).get('/forbidden');
      expect(res.body.trace).toBe(seen[0]);
      expect(res.body.trace).toMatch(/^[0-9a-f]{32}$/);
      // The request id stays its own.
      expect(res.headers['x-request-id']).toMatch(UUID);

      const contextApp = express();
      contextApp.use((_req, _res, next) =>
        trace.getTracer('test').startActiveSpan('server', (span) => {
          seen.push(span.spanContext().traceId);
          span.end();
          next();
        }),
      );
      contextApp.use(requestContext());
      contextApp.get('/', (_req, response) => response.json(requestContextOf(response)));
      const ids = await request(contextApp).get('/');
      expect(ids.body.trace).toBe(seen[1]);
    });

    it('keeps a random UUID when turned off, and a custom generateTrace wins', async () => {
      for (const openTelemetry of [false, { trace: false }] as const) {
        const res = await request(tracedApp(express, { openTelemetry })).get('/forbidden');
        expect(res.body.trace).toMatch(UUID);
      }
      const custom = await request(tracedApp(express, { generateTrace: () => 'custom-trace' })).get('/forbidden');
      expect(custom.body.trace).toBe('custom-trace');
    });

    it('sets span attributes only when spans are on, and counts on a meter provider registered after start-up', async () => {
      const counting = tracedApp(express, { openTelemetry: { spans: false } });
      const annotating = tracedApp(express, { openTelemetry: { metrics: false } });
      metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
      spans.reset();
      await request(counting).get('/forbidden');
      await request(annotating).get('/forbidden');
      const [quiet, annotated] = spans.getFinishedSpans();
      expect(quiet?.attributes[TELEMETRY_NAMES.code]).toBeUndefined();
      expect(annotated?.attributes).toMatchObject({
        [TELEMETRY_NAMES.code]: 'authorization_denied_by_mvpd',
        [TELEMETRY_NAMES.action]: 'none',
      });
      await reader.forceFlush();
      const points = metricExporter
        .getMetrics()
        .at(-1)
        ?.scopeMetrics.flatMap((scope) => scope.metrics)
        .find((metric) => metric.descriptor.name === TELEMETRY_NAMES.counter)?.dataPoints;
      expect(points?.map((point) => [point.attributes, point.value])).toEqual([
        [
          {
            'error.type': 'authorization_denied_by_mvpd',
            'enhanced_error.action': 'none',
            'http.response.status_code': 403,
            'enhanced_error.scope': 'top-level',
          },
          1,
        ],
      ]);
      metrics.disable();
      metricExporter.reset();
    });
  });
});
