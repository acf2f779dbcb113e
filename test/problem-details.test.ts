import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { type Formatter, passRegistry } from '../src';
import { jsonFormatter, PROBLEM_XML_NAMESPACE, problemJsonFormatter, problemXmlFormatter, xmlFormatter } from '../src/formats';
import { appWith, expressVersions, type ExpressFactory } from './support/apps';
import { SPEC_HELP_URL } from './support/item-apps';

const TRACE = '4a1c2d8e-5b6f-4c3a-9e1d-2f7b8a9c0d1e';
const HELP_URL = 'https://docs.example.com/errors/user_rate_limit_exceeded';

/** The custom formatter of docs/formats.md. */
const textFormatter: Formatter = {
  mediaTypes: ['text/plain'],
  contentType: 'text/plain; charset=utf-8',
  formatError: (envelope) => `${envelope.status} ${envelope.code}: ${envelope.message}\ntrace: ${envelope.trace}\n`,
};

const allFormatters = [jsonFormatter, xmlFormatter, problemJsonFormatter, problemXmlFormatter];

function serviceApp(express: ExpressFactory, formatters: readonly Formatter[] = allFormatters, defaultType?: string) {
  return appWith(
    express,
    {
      '/limited': () => {
        throw passRegistry.create('user_rate_limit_exceeded', { details: 'At most 10 requests a minute.', helpUrl: HELP_URL });
      },
      '/bare': () => {
        throw passRegistry.create('invalid_header');
      },
      '/missing': () => {
        throw passRegistry.create('not_found');
      },
      '/awkward': () => {
        throw passRegistry.create('bad_request', { details: 'line one\r\nline two <b>&amp;</b> &x; &#65; ]]> \u0001 end' });
      },
    },
    { formatters, generateTrace: () => TRACE, ...(defaultType !== undefined && { defaultType }) },
  );
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, htmlEntities: true, preserveOrder: true });

/** The root element's name, attributes and children (name → text), in document order. */
function parseXml(text: string) {
  expect(XMLValidator.validate(text)).toBe(true);
  const nodes = parser.parse(text) as Array<Record<string, unknown>>;
  const root = nodes.find((node) => !('?xml' in node));
  if (root === undefined) throw new Error('no root element');
  const name = Object.keys(root).find((key) => key !== ':@') ?? '';
  const children = (root[name] as Array<Record<string, Array<{ '#text': string }>>>).map((child) => {
    const [childName = ''] = Object.keys(child);
    return [childName, child[childName]?.map((text) => text['#text']).join('') ?? ''] as const;
  });
  return { name, attributes: (root[':@'] ?? {}) as Record<string, string>, children };
}

describe.each(expressVersions)('RFC 9457 problem details on %s', (_name, express) => {
  const app = serviceApp(express);

  it('writes application/problem+json with the RFC members, then code, action and trace', async () => {
    const res = await request(app).get('/limited').set('Accept', 'application/problem+json').expect(429);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['retry-after']).toBe('60');
    const body: unknown = JSON.parse(res.text);
    expect(Object.keys(body as object)).toEqual(['type', 'title', 'status', 'detail', 'code', 'action', 'trace']);
    expect(body).toEqual({
      type: HELP_URL,
      title: passRegistry.get('user_rate_limit_exceeded').message,
      status: 429,
      detail: 'At most 10 requests a minute.',
      code: 'user_rate_limit_exceeded',
      action: 'retry-after',
      trace: TRACE,
    });
  });

  it("uses the registry's help page as type, about:blank without a help URL, and leaves out an absent detail", async () => {
    const res = await request(app).get('/bare').set('Accept', 'application/problem+json').expect(400);
    expect(JSON.parse(res.text)).toEqual({
      type: SPEC_HELP_URL,
      title: passRegistry.get('invalid_header').message,
      status: 400,
      code: 'invalid_header',
      action: 'none',
      trace: TRACE,
    });
    const missing = await request(app).get('/missing').set('Accept', 'application/problem+json').expect(404);
    expect(JSON.parse(missing.text)).toEqual({
      type: 'about:blank',
      title: passRegistry.get('not_found').message,
      status: 404,
      code: 'not_found',
      action: 'none',
      trace: TRACE,
    });
  });

  it('writes application/problem+xml as <problem xmlns="urn:ietf:rfc:7807"> with one child per member', async () => {
    const res = await request(app).get('/limited').set('Accept', 'application/problem+xml').expect(429);
    expect(res.headers['content-type']).toBe('application/problem+xml; charset=utf-8');
    expect(res.headers['retry-after']).toBe('60');
    // The declaration names the encoding, as the Content-Type does.
    expect(res.text.startsWith(`<?xml version="1.0" encoding="UTF-8"?><problem xmlns="${PROBLEM_XML_NAMESPACE}">`)).toBe(true);
    const xml = parseXml(res.text);
    expect(xml.name).toBe('problem');
    expect(xml.attributes).toEqual({ '@_xmlns': PROBLEM_XML_NAMESPACE });
    expect(PROBLEM_XML_NAMESPACE).toBe('urn:ietf:rfc:7807');
    expect(xml.children).toEqual([
      ['type', HELP_URL],
      ['title', passRegistry.get('user_rate_limit_exceeded').message],
      ['status', '429'],
      ['detail', 'At most 10 requests a minute.'],
      ['code', 'user_rate_limit_exceeded'],
      ['action', 'retry-after'],
      ['trace', TRACE],
    ]);
  });

  it('carries markup, CR and characters XML cannot hold through problem+xml safely', async () => {
    const res = await request(app).get('/awkward').set('Accept', 'application/problem+xml').expect(400);
    const xml = parseXml(res.text);
    expect(xml.children.map(([name]) => name)).toEqual(['type', 'title', 'status', 'detail', 'code', 'action', 'trace']);
    expect(Object.fromEntries(xml.children).detail).toBe('line one\r\nline two <b>&amp;</b> &x; &#65; ]]> \uFFFD end');
  });
});

describe.each(expressVersions)('negotiation among formats on %s', (_name, express) => {
  const app = serviceApp(express);

  it.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/*', 'application/json'],
    ['text/html;q=0.5, */*', 'application/json'],
    ['application/problem+json', 'application/problem+json'],
    ['application/problem+xml', 'application/problem+xml'],
    ['Application/Problem+JSON', 'application/problem+json'],
    ['application/json;q=0.5, application/problem+json', 'application/problem+json'],
    ['application/json, application/problem+json;q=0.5', 'application/json'],
    ['application/problem+json;q=0.4, application/problem+xml;q=0.8', 'application/problem+xml'],
    ['application/problem+json;q=0.3, application/xml;q=0.9, */*;q=0.1', 'application/xml'],
    ['application/problem+json;q=0.3, */*', 'application/json'],
    ['application/problem+json;q=0, */*', 'application/json'],
    ['text/xml;q=0.2, application/problem+xml;q=0.3', 'application/problem+xml'],
  ])('Accept %s gets %s', async (accept, expected) => {
    const call = request(app).get('/bare');
    const res = await (accept === undefined ? call : call.set('Accept', accept)).expect(400);
    expect(res.headers['content-type']?.split(';')[0]).toBe(expected);
    expect(res.headers.vary).toBe('Accept');
  });

  it('never offers problem details when they are not configured', async () => {
    const plain = serviceApp(express, [jsonFormatter, xmlFormatter]);
    const res = await request(plain).get('/bare').set('Accept', 'application/problem+json').expect(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body.code).toBe('invalid_header');
  });

  it('answers problem details to a wildcard only when they are the default', async () => {
    const problemDefault = serviceApp(express, [jsonFormatter, problemJsonFormatter], 'application/problem+json');
    const res = await request(problemDefault).get('/bare').set('Accept', '*/*').expect(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });
});

describe.each(expressVersions)('a custom formatter on %s', (_name, express) => {
  it('is negotiated like any other and writes its own shape', async () => {
    const app = serviceApp(express, [jsonFormatter, textFormatter]);
    const res = await request(app).get('/limited').set('Accept', 'text/plain').expect(429);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['retry-after']).toBe('60');
    expect(res.text).toBe(`429 user_rate_limit_exceeded: ${passRegistry.get('user_rate_limit_exceeded').message}\ntrace: ${TRACE}\n`);
    const json = await request(app).get('/limited').set('Accept', 'application/json;q=0.9, text/plain;q=0.5').expect(429);
    expect(json.body.code).toBe('user_rate_limit_exceeded');
  });

  it('as the default, keeps wildcards away from an explicit-only format', async () => {
    const app = serviceApp(express, [textFormatter, problemJsonFormatter], 'text/plain');
    const wildcard = await request(app).get('/bare').set('Accept', 'application/*').expect(400);
    expect(wildcard.headers['content-type']).toBe('text/plain; charset=utf-8');
    const named = await request(app).get('/bare').set('Accept', 'application/*;q=0.5, application/problem+json').expect(400);
    expect(named.headers['content-type']).toBe('application/problem+json');
  });
});
