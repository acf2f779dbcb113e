import fc from 'fast-check';
import type { OutgoingHttpHeaders } from 'node:http';
import { createRegistry, enhancedErrorHandler, genericErrorCodes } from '../../../src';
import { passCodes, passMessagesFr } from '../../../src/core/catalogs';
import { jsonFormatter, problemJsonFormatter, problemXmlFormatter, xmlFormatter } from '../../../src/core/formats';
import { fuzzRuns, assertProperty, fuzzTimeout } from '../../support/arbitraries';
import { expressVersions } from '../../support/apps';
import { startServer, type TestServer } from '../../support/http-client';
import { isSafeRequestId, must, readErrorResponse } from '../../support/wire-checks';

/** English and French messages, so that Accept-Language chooses among them. */
const localized = createRegistry({ ...passCodes, ...genericErrorCodes }, { name: 'fuzzLocalized', messages: { fr: passMessagesFr } });
const MESSAGES: Record<string, string> = { en: passCodes.bad_request.message, fr: passMessagesFr.bad_request };

/** Generated cases per Express major. */
const RUNS_PER_VERSION = fuzzRuns(1500);

/** What Node's client lets through in a header value: tab, printable ASCII and Latin-1. */
const headerChar = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.constant('\t') },
);
const headerText = (maxLength: number) => fc.string({ unit: headerChar, maxLength });
/** Header values from empty to 4 KiB (three of them stay under Node's 16 KiB request header limit). */
const headerValue = fc.oneof(
  { weight: 5, arbitrary: headerText(40) },
  {
    weight: 1,
    arbitrary: fc.tuple(headerText(8), fc.integer({ min: 200, max: 4000 })).map(([unit, n]) => (unit || ',').repeat(n).slice(0, 4000)),
  },
);

const MEDIA_TYPES = [
  'application/json',
  'application/xml',
  'text/xml',
  '*/*',
  'application/*',
  'text/*',
  'text/html',
  'application/problem+json',
  'application/problem+xml',
  '*',
  '/',
  '',
];
const Q_VALUES = ['1', '0', '0.5', '0.001', '1.000', '1.0001', '-1', 'abc', '', '1e3', 'NaN', '0x1', ' 0.9 ', '00000000000000001'];

/** Accept headers built from real media types and odd q-values, or anything at all. */
const acceptHeader = fc.oneof(
  fc
    .array(
      fc.record({
        type: fc.constantFrom(...MEDIA_TYPES),
        q: fc.option(fc.constantFrom(...Q_VALUES), { nil: undefined }),
        extra: fc.option(headerText(12), { nil: undefined }),
      }),
      { maxLength: 6 },
    )
    .map((ranges) =>
      ranges
        .map(({ type, q, extra }) => [type, q === undefined ? '' : `;q=${q}`, extra === undefined ? '' : `;${extra}`].join(''))
        .join(', '),
    ),
  headerValue,
);

/** Language ranges the registry has (en, fr) and has not, with odd q-values. */
const acceptLanguageHeader = fc
  .array(
    fc.record({
      tag: fc.constantFrom('fr', 'fr-CA', 'en', 'en-GB', 'de', '*', 'FR', 'x-klingon', ''),
      q: fc.option(fc.constantFrom(...Q_VALUES), { nil: undefined }),
    }),
    { maxLength: 4 },
  )
  .map((ranges) => ranges.map(({ tag, q }) => (q === undefined ? tag : `${tag};q=${q}`)).join(', '));

const requestId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._-]{1,128}$/),
  fc.stringMatching(/^[A-Za-z0-9._-]{129,140}$/),
  headerValue,
  fc.array(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), { minLength: 2, maxLength: 3 }),
);

/** A path segment, with percent signs that often make a malformed escape. */
const pathSegment = fc.string({
  unit: fc.constantFrom(..."abcXYZ019-._~%!$&'()*+,;=:@".split(''), '%2F', '%00', '%ZZ', '%C3%A9', '%E0%A4'),
  minLength: 1,
  maxLength: 12,
});

const BODY_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=nope',
  'text/plain',
  'application/x-www-form-urlencoded',
];

const body = fc.oneof(
  fc.json({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('{', '{"a":', '[1,2', 'null', '"x"', '\u0000', '{"__proto__":{"x":1}}'),
);

const requestCase = fc.record({
  method: fc.constantFrom('GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  segment: pathSegment,
  accept: fc.option(acceptHeader, { nil: undefined }),
  acceptLanguage: fc.option(fc.oneof(headerValue, acceptLanguageHeader), { nil: undefined }),
  requestId: fc.option(requestId, { nil: undefined }),
  contentType: fc.constantFrom(...BODY_TYPES),
  contentEncoding: fc.constantFrom(undefined, undefined, 'gzip', 'deflate', 'br', 'identity', 'x-nope'),
  body,
});

describe.each(expressVersions)('%s: any request gets a well-formed error response', (_name, express) => {
  let server: TestServer;
  /** Which paths the generated requests took, so that a generator that stops reaching one is noticed. */
  const outcomes = new Set<string>();

  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.all('/req/:segment', () => {
      throw localized.create('bad_request', { details: 'The route was reached.' });
    });
    const formatters = [jsonFormatter, xmlFormatter, problemJsonFormatter, problemXmlFormatter];
    app.use(enhancedErrorHandler({ log: false, registry: localized, formatters }));
    server = await startServer(app);
  });

  afterAll(() => server.close());

  it(
    `holds for ${RUNS_PER_VERSION} generated requests`,
    async () => {
      await assertProperty(
        fc.asyncProperty(requestCase, async (generated) => {
          const headers: OutgoingHttpHeaders = {};
          if (generated.accept !== undefined) headers.accept = generated.accept;
          if (generated.acceptLanguage !== undefined) headers['accept-language'] = generated.acceptLanguage;
          if (generated.requestId !== undefined) headers['x-request-id'] = generated.requestId;
          const sendsBody = ['POST', 'PUT', 'PATCH'].includes(generated.method);
          if (sendsBody) {
            headers['content-type'] = generated.contentType;
            if (generated.contentEncoding !== undefined) headers['content-encoding'] = generated.contentEncoding;
          }
          const res = await server.send({
            method: generated.method,
            path: `/req/${generated.segment}`,
            headers,
            body: sendsBody ? generated.body : undefined,
          });

          const read = readErrorResponse(res, generated.method);
          if (read) outcomes.add(`${res.status} ${read.fields.details ?? ''}`);
          // Whatever the client sent, it is the client's error, never the server's.
          must(res.status < 500, () => `status ${res.status}`);
          must(/\bAccept\b/.test(String(res.headers.vary)), () => `Vary: ${res.headers.vary}`);
          // The registry's bad_request speaks the negotiated language, and says which.
          if (read?.fields.code === 'bad_request') {
            const language = String(res.headers['content-language']);
            must(read.fields.message === MESSAGES[language], () => `message ${read.fields.message} in ${language}`);
            must(/\bAccept-Language\b/.test(String(res.headers.vary)), () => `Vary: ${res.headers.vary}`);
            if (generated.acceptLanguage === 'fr') must(language === 'fr', () => `fr asked, ${language} answered`);
          }
          const echoed = res.headers['x-request-id'];
          must(isSafeRequestId(echoed), () => `unsafe X-Request-Id ${echoed}`);
          must(!isSafeRequestId(generated.requestId) || echoed === generated.requestId, () => `request id ${echoed} not echoed`);
          for (const type of ['application/xml', 'application/problem+json', 'application/problem+xml']) {
            if (read && generated.accept === type) must(type.endsWith(read.format), () => `${type} asked, ${read.format} answered`);
          }
          if (read && (generated.accept === undefined || generated.accept === 'application/json')) {
            must(read.format === 'json', () => 'JSON expected');
          }
        }),
        { numRuns: RUNS_PER_VERSION },
      );
      // With the default count every path is taken many times over; a much smaller FUZZ_SCALE may miss one.
      if (RUNS_PER_VERSION >= 1000)
        expect([...outcomes].sort()).toEqual(
          expect.arrayContaining([
            '400 ',
            '400 The request body could not be parsed.',
            '400 The route was reached.',
            '415 The request body charset is not supported.',
            '415 The request body content encoding is not supported.',
          ]),
        );
    },
    fuzzTimeout(RUNS_PER_VERSION, 50),
  );
});
