import fc from 'fast-check';
import { inspect } from 'node:util';
import type { NextFunction, Request, Response } from 'express';
import type { ErrorMiddleware } from '../../../src';
import { enhancedErrorHandler } from '../../../src';
import { answerError, type Answer } from '../../../src/core/answer/answer';
import { createErrorPipeline, type ErrorPipeline } from '../../../src/adapters/express/pipeline';
import { jsonFormatter, problemJsonFormatter, problemXmlFormatter, vimondFormatter, xmlFormatter } from '../../../src/core/formats';
import { anyThrown, fuzzRuns, PUBLIC, SECRET, assertProperty, fuzzTimeout, type Thrown } from '../../support/arbitraries';
import { expressVersions } from '../../support/apps';
import { answerResponse, requestView } from '../../support/core-answers';
import { type RawResponse, startServer, type TestServer } from '../../support/http-client';
import { type JsonShape, must, readErrorResponse } from '../../support/wire-checks';

/**
 * Generated cases answered by the core (answerError on the handler's
 * pipeline, as the Express adapter calls it): what each answer says is the
 * core's alone, so the bulk of the cases need no server.
 */
const CORE_RUNS = fuzzRuns(5000);
/** Generated cases per Express major over HTTP: the adapter writes them, each way Express delivers an error. */
const RUNS_PER_VERSION = fuzzRuns(250);

type Delivery = 'throw' | 'next' | 'reject' | 'direct';

interface Case {
  value: unknown;
  delivery: Delivery;
}

/** delay-seconds: the handler never sends an HTTP-date. */
const RETRY_AFTER = /^\d+$/;

const ACCEPTS = [
  undefined,
  'application/json',
  'application/xml',
  'text/xml',
  '*/*',
  'text/html',
  'application/xml;q=0.9, application/json;q=0.1',
  'application/problem+json',
  'application/problem+xml',
  'application/problem+xml, application/xml;q=0.5',
];

/** Every formatter, on two servers: the spec's JSON with problem details, and Vimond's JSON. */
const SHAPES = {
  envelope: [jsonFormatter, xmlFormatter, problemJsonFormatter, problemXmlFormatter],
  vimond: [vimondFormatter, xmlFormatter, problemJsonFormatter],
} as const;

const METHODS = ['GET', 'GET', 'GET', 'HEAD'] as const;
const SHAPE_WEIGHTS: JsonShape[] = ['envelope', 'envelope', 'envelope', 'vimond'];

/**
 * Everything a response to a generated thrown value must be. `serverErrorLines`:
 * what the default log wrote for it (or, from the core, the 5xx errors it sent
 * and a failure, each a line for the adapter).
 */
function checkThrownResponse(thrown: Thrown, res: RawResponse, method: string, shape: JsonShape, serverErrorLines: number): void {
  const read = readErrorResponse(res, method, shape);
  const raw = `${res.rawHeaders.join('\n')}\n${res.body.toString('utf8')}`;
  must(!raw.includes(SECRET), () => `response reveals a secret: ${raw}`);
  must(res.status < 500 || !raw.includes(PUBLIC), () => `5xx shows what only a 4xx may: ${raw}`);
  must(res.status < 500 || thrown.kind !== 'foreign' || read?.fields.details === undefined, () => 'redacted 5xx has details');
  if (thrown.kind === 'foreign' && thrown.expectedStatuses !== undefined) {
    const { expectedStatuses } = thrown;
    must(expectedStatuses.includes(res.status), () => `status ${res.status}, expected one of ${expectedStatuses.join(', ')}`);
  }
  if (thrown.kind === 'enhanced' && (thrown.tamper === 'none' || thrown.tamper === 'frozen')) {
    must(res.status === thrown.status, () => `status ${res.status}, thrown ${thrown.status}`);
    must(
      read === undefined || read.format === 'vimond' || read.fields.code === thrown.code,
      () => `code ${read?.fields.code}, thrown ${thrown.code}`,
    );
  }
  const retryAfter = String(res.headers['retry-after']);
  must(read?.fields.action !== 'retry-after' || RETRY_AFTER.test(retryAfter), () => `Retry-After ${retryAfter}`);
  // One log line for each 5xx error (an aggregate may hold several), none for a 4xx: each went through the handler once.
  const lines = serverErrorLines;
  const expectedLines = res.status < 500 ? lines === 0 : thrown.kind === 'aggregate' ? lines >= 1 : lines === 1;
  must(expectedLines, () => `${lines} log lines for a ${res.status}`);
}

/** The lines the default log writes for an answer: one per 5xx error sent, one for a failure (the prebuilt 500). */
function serverErrorLinesOf(answer: Answer): number {
  const sent = answer.sent.filter(({ envelope }) => envelope !== undefined && envelope.status >= 500).length;
  return sent + (answer.failure === undefined ? 0 : 1);
}

describe('the core: anything thrown gets a well-formed, redacted answer', () => {
  const pipelines = new Map(Object.entries(SHAPES).map(([shape, formatters]) => [shape as JsonShape, createErrorPipeline({ formatters })]));
  const escaped: unknown[] = [];
  const recordEscape = (reason: unknown) => escaped.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', recordEscape);
    process.on('uncaughtException', recordEscape);
  });
  afterAll(() => {
    process.off('unhandledRejection', recordEscape);
    process.off('uncaughtException', recordEscape);
  });

  it(
    `holds for ${CORE_RUNS} generated thrown values`,
    async () => {
      await assertProperty(
        fc.asyncProperty(
          anyThrown,
          fc.constantFrom(...ACCEPTS),
          fc.constantFrom(...METHODS),
          fc.constantFrom(...SHAPE_WEIGHTS),
          async (thrown, accept, method, shape) => {
            const pipeline = pipelines.get(shape) as ErrorPipeline;
            // As the handler calls it: the route's status so far is 200.
            const answer = answerError(pipeline, thrown.make(), requestView(method, { accept }), 200);
            checkThrownResponse(thrown, answerResponse(answer, method), method, shape, serverErrorLinesOf(answer));
            must(escaped.length === 0, () => `escaped: ${inspect(escaped[0])}`);
          },
        ),
        { numRuns: CORE_RUNS },
      );
    },
    fuzzTimeout(CORE_RUNS, 20),
  );
});

describe.each(expressVersions)('%s: anything thrown gets a well-formed, redacted error response', (name, express) => {
  const cases = new Map<string, Case>();
  const servers = new Map<JsonShape, TestServer>();
  let stderrWrites = 0;
  const escaped: unknown[] = [];
  const recordEscape = (reason: unknown) => escaped.push(reason);
  let stderrSpy: jest.SpyInstance;

  beforeAll(async () => {
    for (const [shape, formatters] of Object.entries(SHAPES) as [JsonShape, (typeof SHAPES)[JsonShape]][]) {
      const handler: ErrorMiddleware = enhancedErrorHandler({ formatters });
      const app = express();
      app.get('/thrown/:id', (req: Request, res: Response, next: NextFunction) => {
        const { value, delivery } = cases.get(String(req.params.id)) as Case;
        switch (delivery) {
          case 'throw':
            throw value;
          case 'next':
            next(value);
            return undefined;
          case 'reject':
            return Promise.reject(value);
          default:
            // Express skips falsy errors and 'route'/'router', so those reach the handler directly.
            handler(value, req, res, next);
            return undefined;
        }
      });
      app.use(handler);
      servers.set(shape, await startServer(app));
    }
    process.on('unhandledRejection', recordEscape);
    process.on('uncaughtException', recordEscape);
    // The default logger writes one line per 5xx; count them rather than print thousands.
    stderrSpy = jest.spyOn(process.stderr, 'write').mockImplementation(() => {
      stderrWrites += 1;
      return true;
    });
  });

  afterAll(async () => {
    stderrSpy.mockRestore();
    process.off('unhandledRejection', recordEscape);
    process.off('uncaughtException', recordEscape);
    for (const server of servers.values()) await server.close();
  });

  it(
    `holds for ${RUNS_PER_VERSION} generated thrown values`,
    async () => {
      const deliveries: Delivery[] = name === 'express 5' ? ['throw', 'next', 'reject'] : ['throw', 'next'];
      let counter = 0;
      await assertProperty(
        fc.asyncProperty(
          anyThrown,
          fc.constantFrom(...deliveries),
          fc.constantFrom(...ACCEPTS),
          fc.constantFrom(...METHODS),
          fc.constantFrom(...SHAPE_WEIGHTS),
          async (thrown, chosen, accept, method, shape) => {
            const id = String((counter += 1));
            const value = thrown.make();
            const skipped = !value || value === 'route' || value === 'router';
            cases.set(id, { value, delivery: skipped ? 'direct' : chosen });
            const writesBefore = stderrWrites;
            const server = servers.get(shape) as TestServer;
            const res = await server.send({ method, path: `/thrown/${id}`, headers: accept === undefined ? {} : { accept } });
            cases.delete(id);
            checkThrownResponse(thrown, res, method, shape, stderrWrites - writesBefore);
            must(escaped.length === 0, () => `escaped: ${inspect(escaped[0])}`);
          },
        ),
        { numRuns: RUNS_PER_VERSION },
      );
    },
    fuzzTimeout(RUNS_PER_VERSION, 50),
  );
});
