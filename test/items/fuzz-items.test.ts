import fc from 'fast-check';
import type { Request, Response } from 'express';
import { jsonFormatter, problemJsonFormatter, xmlFormatter } from '../../src/core/formats';
import { enhancedErrorHandlerWithItems } from '../../src/items';
import { anyThrown, fuzzRuns, PUBLIC, SECRET, type Thrown, assertProperty, fuzzTimeout } from '../support/arbitraries';
import { expressVersions } from '../support/apps';
import { startServer, type TestServer } from '../support/http-client';
import { must, readItemsResponse } from '../support/wire-checks';

/** Generated responses per Express major, each of one to five items. */
const RUNS_PER_VERSION = fuzzRuns(600);

const ACCEPTS = [undefined, 'application/json', 'application/xml', 'text/xml', 'application/problem+json', '*/*'];

const itemsCase = fc.record({
  items: fc.array(fc.option(anyThrown, { nil: undefined, freq: 3 }), { minLength: 1, maxLength: 5 }),
  accept: fc.constantFrom(...ACCEPTS),
});

describe.each(expressVersions)('%s: any item error gets a well-formed, redacted item response', (_name, express) => {
  const cases = new Map<string, readonly unknown[]>();
  let server: TestServer;
  let stderrWrites = 0;
  let stderrSpy: jest.SpyInstance;

  beforeAll(async () => {
    const { handler, sendItems } = enhancedErrorHandlerWithItems({ formatters: [jsonFormatter, xmlFormatter, problemJsonFormatter] });
    const app = express();
    app.get('/items/:id', (req: Request, res: Response) => {
      const errors = cases.get(String(req.params.id)) as readonly unknown[];
      sendItems(req, res, { collection: 'resources', items: errors.map((error, id) => ({ id, error })) });
    });
    app.use(handler);
    server = await startServer(app);
    stderrSpy = jest.spyOn(process.stderr, 'write').mockImplementation(() => {
      stderrWrites += 1;
      return true;
    });
  });

  afterAll(async () => {
    stderrSpy.mockRestore();
    await server.close();
  });

  it(
    `holds for ${RUNS_PER_VERSION} generated item responses`,
    async () => {
      let counter = 0;
      await assertProperty(
        fc.asyncProperty(itemsCase, async ({ items, accept }) => {
          const id = String((counter += 1));
          const errors = items.map((thrown) => thrown?.make());
          cases.set(id, errors);
          const writesBefore = stderrWrites;
          const res = await server.send({ path: `/items/${id}`, headers: accept === undefined ? {} : { accept } });
          cases.delete(id);

          const read = readItemsResponse(res, 'resources');
          const raw = `${res.rawHeaders.join('\n')}\n${read.text}`;
          must(!raw.includes(SECRET), () => `response reveals a secret: ${raw}`);
          must(!res.rawHeaders.join('\n').includes(PUBLIC), () => 'an item error set a response header');
          must(read.items.length === items.length, () => `${read.items.length} items for ${items.length}`);
          let serverErrors = 0;
          read.items.forEach((item, index) => {
            const thrown = items[index] as Thrown | undefined;
            const failed = errors[index] !== undefined && errors[index] !== null;
            must(item.id === String(index), () => `item ${index} has id ${item.id}`);
            must((item.error !== undefined) === failed, () => `item ${index}: error ${item.error ? 'present' : 'missing'}`);
            if (item.error === undefined) return;
            const status = Number(item.error.status);
            if (status >= 500) {
              serverErrors += 1;
              must(!JSON.stringify(item.error).includes(PUBLIC), () => `item 5xx shows what only a 4xx may: ${JSON.stringify(item.error)}`);
              must(thrown?.kind !== 'foreign' || item.error.details === undefined, () => 'redacted item 5xx has details');
            }
          });
          // The default logger: one line per failed item with a 5xx, as for top-level errors.
          must(stderrWrites - writesBefore === serverErrors, () => `${stderrWrites - writesBefore} log lines for ${serverErrors} item 5xx`);
        }),
        { numRuns: RUNS_PER_VERSION },
      );
    },
    fuzzTimeout(RUNS_PER_VERSION, 100),
  );
});
