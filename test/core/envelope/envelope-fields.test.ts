import { EnhancedError, type EnhancedErrorOptions, passRegistry } from '../../../src';
import { parseEnhancedErrorSync, type ReceivedError } from '../../../src/client';
import { openApiComponents } from '../../../src/docs';
import { ENVELOPE_FIELD_TABLE, ENVELOPE_FIELDS, type EnvelopeField } from '../../../src/core/envelope/fields';
import { createXmlFormatter, jsonFormatter, problemJsonFormatter, problemXmlFormatter, toProblemDetails } from '../../../src/core/formats';
import { CARRIED_FIELDS } from '../../../src/core/formats/problem';
import { appWith, express5Only } from '../../support/apps';
import { type RawResponse, startServer, type TestServer } from '../../support/http-client';
import { fields, parseXml } from '../../support/xml';

/**
 * The envelope's fields are declared once, in src/core/envelope/fields.ts. Each
 * list derived from the table must hold its fields in its order, so that a
 * list written out by hand, which would miss a field added later, fails here.
 */

const NAMES = ENVELOPE_FIELD_TABLE.map((row) => row.name);
const TRACE = 'trace-of-the-sample';
const ENTRY = passRegistry.get('too_many_requests');

/** A value for every field: the registry's for those it checks, a marker of the field's type for any other. */
const SAMPLE: Readonly<Record<EnvelopeField, string | number>> = {
  ...Object.fromEntries(ENVELOPE_FIELD_TABLE.map((row) => [row.name, row.type === 'integer' ? 7 : `sample ${row.name}`])),
  action: ENTRY?.action ?? 'none',
  status: 429,
  code: 'too_many_requests',
  helpUrl: 'https://help.example.com/too_many_requests',
  trace: TRACE,
} as Record<EnvelopeField, string | number>;

const SAMPLE_ENTRIES = NAMES.map((name) => [name, SAMPLE[name]]);

/** An error carrying every field a thrown error can carry. */
function sampleError(): EnhancedError {
  const options = Object.fromEntries(ENVELOPE_FIELD_TABLE.filter((row) => row.fromError).map((row) => [row.name, SAMPLE[row.name]]));
  return new EnhancedError(options as unknown as EnhancedErrorOptions, ENTRY);
}

function received(res: RawResponse): ReceivedError {
  const parsed = parseEnhancedErrorSync({ status: res.status, headers: res.headers, body: res.body });
  if (parsed.kind !== 'top-level') throw new Error(`not an error object: ${JSON.stringify(parsed)}`);
  return parsed.error;
}

describe('the envelope field table', () => {
  it('gives ENVELOPE_FIELDS', () => {
    expect(ENVELOPE_FIELDS).toEqual(NAMES);
  });

  it("gives the OpenAPI error schema's properties and required list, in the spec's order", () => {
    const { schemas } = openApiComponents(passRegistry);
    expect(Object.keys(schemas.EnhancedError?.properties as object)).toEqual(NAMES);
    expect(schemas.EnhancedError?.required).toEqual(ENVELOPE_FIELD_TABLE.filter((row) => row.required).map((row) => row.name));
  });

  it("gives problem details' members and schema: each field not renamed is a member of its own name, after message", () => {
    const renamed = ['status', 'code', 'action', 'message', 'details'];
    expect(CARRIED_FIELDS).toEqual(NAMES.filter((name) => !renamed.includes(name)));
    const problem = toProblemDetails({ ...SAMPLE, action: 'none', status: 429 } as never);
    expect(Object.keys(problem).slice(7, 7 + CARRIED_FIELDS.length)).toEqual(CARRIED_FIELDS);
    const { schemas } = openApiComponents(passRegistry, { formatters: [problemJsonFormatter] });
    const properties = Object.keys(schemas.EnhancedErrorProblem?.properties as object);
    expect(properties.filter((name) => (CARRIED_FIELDS as readonly string[]).includes(name))).toEqual(CARRIED_FIELDS);
    expect(schemas.EnhancedErrorProblem?.required).toEqual(
      expect.arrayContaining(CARRIED_FIELDS.filter((name) => ENVELOPE_FIELD_TABLE.find((row) => row.name === name)?.required)),
    );
  });
});

describe.each(express5Only)('every envelope field over HTTP (%s)', (_name, express) => {
  let server: TestServer;
  beforeAll(async () => {
    const app = appWith(
      express,
      {
        '/thrown': () => {
          throw sampleError();
        },
        // A Proxy is read once and rebuilt from what was read (normalize/plain-fields.ts).
        '/proxy': () => {
          throw new Proxy(sampleError(), {});
        },
      },
      {
        generateTrace: () => TRACE,
        formatters: [jsonFormatter, createXmlFormatter(), problemJsonFormatter, problemXmlFormatter],
      },
    );
    server = await startServer(app);
  });
  afterAll(() => server.close());

  const get = (path: string, accept: string) => server.send({ path, headers: { accept } });

  it.each(['/thrown', '/proxy'])('JSON (%s): every field, in order', async (path) => {
    const res = await get(path, 'application/json');
    expect(res.status).toBe(429);
    expect(Object.entries(JSON.parse(res.body.toString('utf8')) as object)).toEqual(SAMPLE_ENTRIES);
    expect(Object.entries(received(res))).toEqual(SAMPLE_ENTRIES);
  });

  it('XML: one element per field, in order, read back by the client', async () => {
    const res = await get('/thrown', 'application/xml');
    expect(fields(parseXml(res.body.toString('utf8')).root)).toEqual(SAMPLE_ENTRIES.map(([name, value]) => [name, String(value)]));
    expect(Object.entries(received(res))).toEqual(SAMPLE_ENTRIES);
  });

  it.each(['application/problem+json', 'application/problem+xml'])('%s: every field carried, read back by the client', async (accept) => {
    const res = await get('/thrown', accept);
    const text = res.body.toString('utf8');
    for (const value of Object.values(SAMPLE)) expect(text).toContain(String(value));
    expect(Object.entries(received(res))).toEqual(SAMPLE_ENTRIES);
  });
});
