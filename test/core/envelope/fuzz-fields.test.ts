import fc from 'fast-check';
import createError from 'http-errors';
import { enhancedErrorHandler, type EnhancedErrorHandlerOptions, type FieldLimits, passRegistry } from '../../../src';
import { answerError } from '../../../src/core/answer/answer';
import { createErrorPipeline } from '../../../src/adapters/express/pipeline';
import { DEFAULT_FIELD_LIMITS } from '../../../src/core/envelope/limits';
import { jsonFormatter, problemJsonFormatter, problemXmlFormatter, xmlFormatter } from '../../../src/core/formats';
import { fuzzRuns, hostileText, nastyText, assertProperty, fuzzTimeout } from '../../support/arbitraries';
import { expressVersions } from '../../support/apps';
import { SPEC_HELP_URL } from '../../support/item-apps';
import { answerResponse, requestView } from '../../support/core-answers';
import { type RawResponse, startServer, type TestServer } from '../../support/http-client';
import { expectCarriedText, must, readErrorResponse } from '../../support/wire-checks';

/** Generated cases answered by the core (answerError on the handler's pipeline): the fields sent are the core's alone. */
const CORE_RUNS = fuzzRuns(3000);
/** Generated cases per Express major over HTTP: the adapter writes them. */
const RUNS_PER_VERSION = fuzzRuns(150);

const SMALL_LIMITS: Required<FieldLimits> = { message: 80, details: 300, helpUrl: 120, fieldMessage: 80, fieldPath: 80 };
const FALLBACK_URL = 'https://help.example.com/errors';

/**
 * The largest body the limits allow: in JSON a code unit takes at most six
 * bytes (`\u001f`), in XML five (`&amp;`, `&#xD;`); a helpUrl has no control
 * characters; the rest (action, status, code, trace, markup) is under 1 KiB.
 */
function bodyBound(limits: Required<FieldLimits>): number {
  return 6 * (limits.message + limits.details) + 5 * limits.helpUrl + 1024;
}

type HelpUrlKind = 'valid' | 'valid-long' | 'garbage' | 'mixed';

const helpUrl = fc.oneof(
  fc.webUrl().map((url) => ({ kind: 'valid' as HelpUrlKind, url })),
  fc
    .tuple(fc.webUrl(), fc.integer({ min: 100, max: 3000 }))
    .map(([url, length]) => ({ kind: 'valid-long' as HelpUrlKind, url: `${url}${url.endsWith('/') ? '' : '/'}${'p'.repeat(length)}` })),
  nastyText.map((url) => ({ kind: 'garbage' as HelpUrlKind, url })),
  fc.tuple(fc.webUrl(), nastyText).map(([url, tail]) => ({ kind: 'mixed' as HelpUrlKind, url: url + tail })),
);

const fieldCase = fc.record({
  source: fc.constantFrom('registry', 'http-errors'),
  small: fc.boolean(),
  message: hostileText(),
  details: fc.option(hostileText(), { nil: undefined }),
  helpUrl: fc.option(helpUrl, { nil: undefined }),
  accept: fc.constantFrom('application/json', 'application/xml', 'text/xml', 'application/problem+json', 'application/problem+xml'),
});

interface Case {
  source: string;
  message: string;
  details: string | undefined;
  helpUrl: string | undefined;
}

type FieldCase = typeof fieldCase extends fc.Arbitrary<infer T> ? T : never;

/** What a route throws for a generated case. */
function thrownFor(generated: Case): Error {
  if (generated.source === 'http-errors') return createError(400, generated.message);
  return passRegistry.create('invalid_parameter_value', {
    message: generated.message || undefined,
    details: generated.details,
    helpUrl: generated.helpUrl,
  });
}

function caseOf(generated: FieldCase): Case {
  return { source: generated.source, message: generated.message, details: generated.details, helpUrl: generated.helpUrl?.url };
}

const FORMATTERS = [jsonFormatter, xmlFormatter, problemJsonFormatter, problemXmlFormatter];

function handlerOptions(small: boolean): EnhancedErrorHandlerOptions {
  return { log: false, formatters: FORMATTERS, ...(small ? { limits: SMALL_LIMITS, helpUrl: FALLBACK_URL } : {}) };
}

/** Everything the response to a generated case must be. */
function checkFieldResponse(generated: FieldCase, res: RawResponse): void {
  const limits = generated.small ? SMALL_LIMITS : DEFAULT_FIELD_LIMITS;
  const read = readErrorResponse(res);
  if (read === undefined) throw new Error('GET must have a body');
  must(res.body.length <= bodyBound(limits), () => `body of ${res.body.length} bytes`);
  must(res.status === 400, () => `status ${res.status}`);
  if (generated.source === 'http-errors') {
    // An exposed 4xx message becomes details, under the details limit.
    must(read.fields.code === 'bad_request', () => `code ${read.fields.code}`);
    if (read.fields.details !== undefined) expectCarriedText(read.fields.details, generated.message, limits.details, read.format);
    else must(['', 'Bad Request'].includes(generated.message), () => 'exposed message lost');
    return;
  }
  const message = generated.message || passRegistry.get('invalid_parameter_value')?.message || '';
  expectCarriedText(read.fields.message, message, limits.message, read.format);
  if (generated.details === undefined) must(read.fields.details === undefined, () => 'details appeared');
  else expectCarriedText(read.fields.details, generated.details, limits.details, read.format);

  // Next candidates: the handler option (small), else the registry's page.
  const fallback = generated.small ? FALLBACK_URL : SPEC_HELP_URL;
  const sent = generated.helpUrl;
  const got = read.fields.helpUrl;
  if (sent === undefined || sent.kind === 'garbage') must(got === fallback, () => `helpUrl ${got}`);
  else if (sent.kind === 'valid' || sent.kind === 'valid-long') {
    const expected = sent.url.length <= limits.helpUrl ? sent.url : fallback;
    must(got === expected, () => `helpUrl ${got}, expected ${expected}`);
  } else if (got !== fallback) {
    // A URL with an odd tail is either refused or sent unchanged, never altered.
    must(got === sent.url, () => `helpUrl altered: ${JSON.stringify(got)} for ${JSON.stringify(sent.url)}`);
    must(sent.url.length <= limits.helpUrl && !/[\u0000-\u0020\u007f-\u009f]/.test(sent.url), () => `accepted ${JSON.stringify(sent.url)}`);
  }
}

describe('the core: any message, details and helpUrl arrive intact or cut to the limit', () => {
  const pipelines = { standard: createErrorPipeline(handlerOptions(false)), small: createErrorPipeline(handlerOptions(true)) };

  it(
    `holds for ${CORE_RUNS} generated fields`,
    async () => {
      await assertProperty(
        fc.asyncProperty(fieldCase, async (generated) => {
          const pipeline = generated.small ? pipelines.small : pipelines.standard;
          const answer = answerError(pipeline, thrownFor(caseOf(generated)), requestView('GET', { accept: generated.accept }), 200);
          checkFieldResponse(generated, answerResponse(answer));
        }),
        { numRuns: CORE_RUNS },
      );
    },
    fuzzTimeout(CORE_RUNS, 20),
  );
});

describe.each(expressVersions)('%s: any message, details and helpUrl arrive intact or cut to the limit', (_name, express) => {
  const cases = new Map<string, Case>();
  const servers: Record<'standard' | 'small', TestServer | undefined> = { standard: undefined, small: undefined };

  beforeAll(async () => {
    for (const size of ['standard', 'small'] as const) {
      const app = express();
      app.get('/field/:id', (req) => {
        throw thrownFor(cases.get(String(req.params.id)) as Case);
      });
      app.use(enhancedErrorHandler(handlerOptions(size === 'small')));
      servers[size] = await startServer(app);
    }
  });

  afterAll(async () => {
    await servers.standard?.close();
    await servers.small?.close();
  });

  it(
    `holds for ${RUNS_PER_VERSION} generated fields`,
    async () => {
      let counter = 0;
      await assertProperty(
        fc.asyncProperty(fieldCase, async (generated) => {
          const id = String((counter += 1));
          cases.set(id, caseOf(generated));
          const server = (generated.small ? servers.small : servers.standard) as TestServer;
          const res = await server.send({ path: `/field/${id}`, headers: { accept: generated.accept } });
          cases.delete(id);

          checkFieldResponse(generated, res);
        }),
        { numRuns: RUNS_PER_VERSION },
      );
    },
    fuzzTimeout(RUNS_PER_VERSION, 50),
  );
});
