import { STATUS_CODES } from 'node:http';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Request } from 'express';
import request from 'supertest';
import {
  createRegistry,
  type EnhancedErrorHandlerOptions,
  type Formatter,
  genericErrorCodes,
  passRegistry,
  type RegistryView,
} from '../../../src';
import { passRestV1Registry, passRestV2Registry, vimondRegistry } from '../../../src/core/catalogs';
import { catalogRouter } from '../../../src/docs';
import {
  createProblemJsonFormatter,
  createProblemXmlFormatter,
  jsonFormatter,
  PROBLEM_XML_NAMESPACE,
  problemJsonFormatter,
  problemXmlFormatter,
  toProblemDetails,
  xmlFormatter,
} from '../../../src/core/formats';
import { appWith, express5Only, type ExpressFactory } from '../../support/apps';
import { SPEC_HELP_URL } from '../../support/item-apps';
import { serveOnLoopback } from '../../support/loopback';

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

describe.each(express5Only)('RFC 9457 problem details on %s', (_name, express) => {
  const app = serviceApp(express);

  it('writes application/problem+json with the RFC members, then code, action and trace', async () => {
    const res = await request(app).get('/limited').set('Accept', 'application/problem+json').expect(429);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['retry-after']).toBe('60');
    const body: unknown = JSON.parse(res.text);
    expect(Object.keys(body as object)).toEqual(['type', 'title', 'status', 'detail', 'code', 'action', 'helpUrl', 'trace']);
    expect(body).toEqual({
      type: `${HELP_URL}#user_rate_limit_exceeded`,
      title: passRegistry.get('user_rate_limit_exceeded').message,
      status: 429,
      detail: 'At most 10 requests a minute.',
      code: 'user_rate_limit_exceeded',
      action: 'retry-after',
      helpUrl: HELP_URL,
      trace: TRACE,
    });
  });

  it("types a code by the registry's help page and the code, about:blank without a help URL, and leaves out an absent detail", async () => {
    const res = await request(app).get('/bare').set('Accept', 'application/problem+json').expect(400);
    expect(JSON.parse(res.text)).toEqual({
      type: `${SPEC_HELP_URL}#invalid_header`,
      title: passRegistry.get('invalid_header').message,
      status: 400,
      code: 'invalid_header',
      action: 'none',
      helpUrl: SPEC_HELP_URL,
      trace: TRACE,
    });
    const missing = await request(app).get('/missing').set('Accept', 'application/problem+json').expect(404);
    // RFC 9457 §4.2.1: about:blank's title is the status phrase; the message keeps its own member.
    expect(JSON.parse(missing.text)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'not_found',
      action: 'none',
      message: passRegistry.get('not_found').message,
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
      ['type', `${HELP_URL}#user_rate_limit_exceeded`],
      ['title', passRegistry.get('user_rate_limit_exceeded').message],
      ['status', '429'],
      ['detail', 'At most 10 requests a minute.'],
      ['code', 'user_rate_limit_exceeded'],
      ['action', 'retry-after'],
      ['helpUrl', HELP_URL],
      ['trace', TRACE],
    ]);
  });

  it('carries markup, CR and characters XML cannot hold through problem+xml safely', async () => {
    const res = await request(app).get('/awkward').set('Accept', 'application/problem+xml').expect(400);
    const xml = parseXml(res.text);
    expect(xml.children.map(([name]) => name)).toEqual(['type', 'title', 'status', 'detail', 'code', 'action', 'helpUrl', 'trace']);
    expect(Object.fromEntries(xml.children).detail).toBe('line one\r\nline two <b>&amp;</b> &x; &#65; ]]> \uFFFD end');
  });
});

describe.each(express5Only)('negotiation among formats on %s', (_name, express) => {
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

describe.each(express5Only)('a custom formatter on %s', (_name, express) => {
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

const builtInRegistries = [
  ['passRegistry', passRegistry],
  ['passRestV2Registry', passRestV2Registry],
  ['passRestV1Registry', passRestV1Registry],
  ['vimondRegistry', vimondRegistry],
] as const;

const PROBLEM_TYPES = ['application/problem+json', 'application/problem+xml'] as const;
const TYPE_BASE = 'https://api.example.com/problems/';

/** Problem members as text, from either media type. */
function problemMembers(contentType: string | null, text: string): Record<string, string> {
  if (contentType === 'application/problem+json') {
    return Object.fromEntries(Object.entries(JSON.parse(text) as Record<string, unknown>).map(([name, value]) => [name, String(value)]));
  }
  expect(contentType).toBe('application/problem+xml; charset=utf-8');
  return Object.fromEntries(parseXml(text).children);
}

/** Every code of the registry thrown by `GET /<code>` of one server, read back as problem details, by code. */
async function problemsOf(
  express: ExpressFactory,
  registry: RegistryView,
  accept: (typeof PROBLEM_TYPES)[number],
  options: EnhancedErrorHandlerOptions,
): Promise<Map<string, Record<string, string>>> {
  const app = appWith(
    express,
    {
      '/:code': (req: Request) => {
        throw registry.create(String(req.params.code));
      },
    },
    { registry, formatters: [jsonFormatter, problemJsonFormatter, problemXmlFormatter], generateTrace: () => TRACE, ...options },
  );
  const server = await serveOnLoopback(app);
  try {
    const problems = new Map<string, Record<string, string>>();
    for (const code of registry.codes) {
      const response = await fetch(`${server.url}/${code}`, { headers: { accept } });
      const members = problemMembers(response.headers.get('content-type'), await response.text());
      expect(members.code).toBe(code);
      expect(members.status).toBe(String(response.status));
      problems.set(code, members);
    }
    return problems;
  } finally {
    await server.close();
  }
}

describe.each(express5Only)('one problem type per code on %s', (_name, express) => {
  describe.each(builtInRegistries)('%s', (_registryName, registry) => {
    it.each(PROBLEM_TYPES)('gives every code its own type, the fixed help page with the code as fragment (%s)', async (accept) => {
      // A fixed page for every code, with a fragment of its own that the code replaces.
      const problems = await problemsOf(express, registry, accept, { helpUrl: 'https://docs.example.com/errors#top' });
      for (const [code, problem] of problems) {
        expect(problem.type).toBe(`https://docs.example.com/errors#${code}`);
        expect(problem.helpUrl).toBe('https://docs.example.com/errors#top');
        expect(problem.title).toBe(registry.get(code)?.message);
      }
      expect(new Set([...problems.values()].map((problem) => problem.type)).size).toBe(registry.codes.length);
    });

    it.each(PROBLEM_TYPES)('gives every code its own type under typeBase, and keeps the help page (%s)', async (accept) => {
      const formatters = [
        jsonFormatter,
        createProblemJsonFormatter({ typeBase: TYPE_BASE }),
        createProblemXmlFormatter({ typeBase: TYPE_BASE }),
      ];
      const problems = await problemsOf(express, registry, accept, { formatters });
      for (const [code, problem] of problems) {
        expect(problem.type).toBe(TYPE_BASE + code);
        expect(problem.helpUrl).toBe(registry.get(code)?.helpUrl);
        expect(problem.title).toBe(registry.get(code)?.message);
      }
      expect(new Set([...problems.values()].map((problem) => problem.type)).size).toBe(registry.codes.length);
    });

    it.each(PROBLEM_TYPES)(
      "types each code by the registry's help page and the code; without one, about:blank titled by the status phrase (%s)",
      async (accept) => {
        const problems = await problemsOf(express, registry, accept, {});
        const typed = [...problems].filter(([code]) => registry.get(code)?.helpUrl !== undefined);
        for (const [code, problem] of typed) {
          const helpUrl = registry.get(code)?.helpUrl;
          expect(problem.type).toBe(`${helpUrl}#${code}`);
          expect(problem.helpUrl).toBe(helpUrl);
          expect(problem.message).toBeUndefined();
        }
        expect(new Set(typed.map(([, problem]) => problem.type)).size).toBe(typed.length);
        for (const [code, problem] of problems) {
          if (registry.get(code)?.helpUrl !== undefined) continue;
          expect(problem.type).toBe('about:blank');
          expect(problem.title).toBe(STATUS_CODES[Number(problem.status)]);
          expect(problem.message).toBe(registry.get(code)?.message);
          expect(problem.helpUrl).toBeUndefined();
        }
      },
    );
  });

  it('titles an about:blank 429 "Too Many Requests" and a 503 "Service Unavailable"', async () => {
    // A service's own codes without a help page (the built-in 429 and 503 codes all have one).
    const service = createRegistry(
      {
        slow_down: { status: 429, action: 'retry', message: 'Slow down.' },
        resting: { status: 503, action: 'retry', message: 'Resting.' },
        ...genericErrorCodes,
      },
      { name: 'service' },
    );
    const problems = await problemsOf(express, service, 'application/problem+json', {});
    expect(problems.get('slow_down')).toMatchObject({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: '429',
      message: 'Slow down.',
    });
    expect(problems.get('resting')).toMatchObject({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: '503',
      message: 'Resting.',
    });
  });

  it("lands on the code's row of the catalog page when its type is followed", async () => {
    let base = '';
    const app = appWith(
      express,
      {
        '/fail/:code': (req: Request) => {
          throw passRegistry.create(String(req.params.code) as 'bad_request');
        },
      },
      { formatters: [jsonFormatter, problemJsonFormatter], helpUrl: () => `${base}/errors` },
    );
    app.use('/errors', catalogRouter(passRegistry));
    const server = await serveOnLoopback(app);
    base = server.url;
    try {
      for (const code of passRegistry.codes) {
        const problem = (await (await fetch(`${base}/fail/${code}`, { headers: { accept: 'application/problem+json' } })).json()) as {
          type: string;
          helpUrl: string;
        };
        expect(problem.helpUrl).toBe(`${base}/errors`);
        expect(problem.type).toBe(`${base}/errors#${code}`);
        // The type is the help page, and the page has an element whose id is the fragment.
        const page = await fetch(problem.type, { headers: { accept: 'text/html' } });
        expect(page.status).toBe(200);
        expect(await page.text()).toContain(`<tr id="${code}">`);
      }
    } finally {
      await server.close();
    }
  });
});

describe('toProblemDetails and the problem formatters', () => {
  const envelope = { action: 'none', status: 404, code: 'video_not_found', message: 'No such video.', trace: TRACE } as const;

  it('appends the code to typeBase percent-encoded, and takes any absolute URI', () => {
    expect(toProblemDetails(envelope, { typeBase: 'tag:api.example.com,2025:' }).type).toBe('tag:api.example.com,2025:video_not_found');
    expect(toProblemDetails({ ...envelope, code: 'a b#\uD800' }, { typeBase: TYPE_BASE }).type).toBe(`${TYPE_BASE}a%20b%23%EF%BF%BD`);
    expect(toProblemDetails({ ...envelope, code: 'a b', helpUrl: 'https://x.example/p' }).type).toBe('https://x.example/p#a%20b');
  });

  it('keeps the message as title for a status without a phrase', () => {
    expect(toProblemDetails({ ...envelope, status: 499 })).toMatchObject({
      type: 'about:blank',
      title: 'No such video.',
      message: 'No such video.',
    });
  });

  it.each([
    ['relative/path/'],
    ['about:blank#'],
    ['https://api.example.com/a b/'],
    ['https://api.example.com/\u00e9/'],
    [''],
    [42],
    [null],
  ])('refuses typeBase %p with a clear error', (typeBase) => {
    const options = { typeBase } as unknown as { typeBase: string };
    expect(() => createProblemJsonFormatter(options)).toThrow(/createProblemJsonFormatter: typeBase must be an absolute URI/);
    expect(() => createProblemXmlFormatter(options)).toThrow(/createProblemXmlFormatter: typeBase must be an absolute URI/);
    expect(() => toProblemDetails(envelope, options)).toThrow(/toProblemDetails: typeBase must be an absolute URI/);
  });

  it('refuses options that are not an object', () => {
    expect(() => createProblemJsonFormatter(null as unknown as object)).toThrow('createProblemJsonFormatter: options must be an object');
  });
});
