import fc from 'fast-check';
import type { NextFunction, Request, Response } from 'express';
import { enhancedErrorHandler, jsonFormatter, xmlFormatter } from '../src';
import { anyThrown, PUBLIC, SECRET } from './support/arbitraries';
import { expressVersions } from './support/apps';
import { startServer, type TestServer } from './support/http-client';
import { readErrorResponse } from './support/wire-checks';

/** Generated cases per Express major; two majors make this file's share of the suite's budget. */
const RUNS_PER_VERSION = 2500;

type Delivery = 'throw' | 'next' | 'reject' | 'direct';

interface Case {
  value: unknown;
  delivery: Delivery;
}

const ACCEPTS = [undefined, 'application/json', 'application/xml', 'text/xml', '*/*', 'text/html', 'application/xml;q=0.9, application/json;q=0.1'];

describe.each(expressVersions)('%s: anything thrown gets a well-formed, redacted error response', (name, express) => {
  const cases = new Map<string, Case>();
  const handler = enhancedErrorHandler({ formatters: [jsonFormatter, xmlFormatter] });
  let server: TestServer;
  let stderrWrites = 0;
  const escaped: unknown[] = [];
  const recordEscape = (reason: unknown) => escaped.push(reason);
  let stderrSpy: jest.SpyInstance;

  beforeAll(async () => {
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
    server = await startServer(app);
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
    await server.close();
  });

  it(`holds for ${RUNS_PER_VERSION} generated thrown values`, async () => {
    const deliveries: Delivery[] = name === 'express 5' ? ['throw', 'next', 'reject'] : ['throw', 'next'];
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(
        anyThrown,
        fc.constantFrom(...deliveries),
        fc.constantFrom(...ACCEPTS),
        fc.constantFrom('GET', 'GET', 'GET', 'HEAD'),
        async (thrown, chosen, accept, method) => {
          const id = String((counter += 1));
          const value = thrown.make();
          const skipped = !value || value === 'route' || value === 'router';
          cases.set(id, { value, delivery: skipped ? 'direct' : chosen });
          const writesBefore = stderrWrites;
          const res = await server.send({ method, path: `/thrown/${id}`, headers: accept === undefined ? {} : { accept } });
          cases.delete(id);

          const read = readErrorResponse(res, method);
          const raw = `${res.rawHeaders.join('\n')}\n${res.body.toString('utf8')}`;
          expect(raw).not.toContain(SECRET);
          if (res.status >= 500) expect(raw).not.toContain(PUBLIC);
          if (res.status >= 500 && thrown.kind === 'foreign') expect(read?.fields.details).toBeUndefined();
          if (thrown.kind === 'enhanced' && (thrown.tamper === 'none' || thrown.tamper === 'frozen')) {
            expect(res.status).toBe(thrown.status);
            if (read) expect(read.fields.code).toBe(thrown.code);
          }
          const retryAfter = res.headers['retry-after'];
          if (read?.fields.action === 'retry-after') {
            expect(retryAfter).toMatch(/^(\d+|[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)$/);
          }
          // One log line for each 5xx, none for 4xx: the error went through the handler once.
          expect(stderrWrites - writesBefore).toBe(res.status >= 500 ? 1 : 0);
          expect(escaped).toEqual([]);
        },
      ),
      { numRuns: RUNS_PER_VERSION },
    );
  }, 120_000);
});
