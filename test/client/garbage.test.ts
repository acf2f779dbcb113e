import type { Request, Response } from 'express';
import { type Formatter, passRegistry } from '../../src';
import { classifyAction, parseEnhancedError, parseEnhancedErrorSync, type ParsedResponse, type ResponseLike } from '../../src/client';
import { jsonFormatter } from '../../src/core/formats';
import { appWith, express5Only } from '../support/apps';
import { serveOnLoopback, type Loopback } from '../support/loopback';

function expectNotEnhanced(result: ParsedResponse, reason: string, httpStatus: number): void {
  expect(result).toMatchObject({ kind: 'not-enhanced', reason, httpStatus });
  if (result.kind === 'not-enhanced') expect(result.description.length).toBeGreaterThan(0);
}

describe.each(express5Only)('garbage over real HTTP, %s', (_name, express) => {
  let server: Loopback;
  let realJson = '';

  beforeAll(async () => {
    const app = appWith(express, {
      '/real': () => {
        throw passRegistry.create('too_many_requests');
      },
      '/html': (_req: Request, res: Response) => {
        res
          .status(502)
          .type('html')
          .send('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
      },
      '/html-untyped': (_req: Request, res: Response) => {
        res.status(504).set('Content-Type', 'application/octet-stream').send(Buffer.from('<html><body>Gateway Timeout</body></html>'));
      },
      '/empty': (_req: Request, res: Response) => {
        res.status(503).end();
      },
      '/truncated': (_req: Request, res: Response) => {
        res
          .status(429)
          .type('json')
          .send(realJson.slice(0, Math.floor(realJson.length / 2)));
      },
      '/other-json': (_req: Request, res: Response) => {
        res.status(400).json({ error: 'invalid_grant', error_description: 'expired' });
      },
    });
    server = await serveOnLoopback(app);
    realJson = await (await fetch(`${server.url}/real`)).text();
  });
  afterAll(() => server.close());

  it.each([
    ['/html', 'not-json-or-xml', 502],
    ['/html-untyped', 'not-json-or-xml', 504],
    ['/empty', 'empty-body', 503],
    ['/truncated', 'malformed-json', 429],
    ['/other-json', 'unrecognized-shape', 400],
  ])('%s gives a clear "not an enhanced error" with the HTTP status', async (path, reason, status) => {
    expectNotEnhanced(await parseEnhancedError(await fetch(server.url + path)), reason, status);
  });

  it('says what the HTML page is', async () => {
    const result = await parseEnhancedError(await fetch(`${server.url}/html`));
    expect(result.kind === 'not-enhanced' && result.description).toMatch(/HTML page/);
  });

  it('does not read a body twice, and says so', async () => {
    const response = await fetch(`${server.url}/real`);
    await response.text();
    expectNotEnhanced(await parseEnhancedError(response), 'unreadable-body', 429);
  });
});

describe('garbage bodies, read directly', () => {
  const xmlError = (inside: string) => `<?xml version="1.0"?><error>${inside}</error>`;
  const validFields = '<action>retry</action><status>403</status><code>network_connection_timeout</code><message>m</message>';

  it.each([
    ['plain text', 'text/plain', 'Service Unavailable', 'not-json-or-xml'],
    ['a JSON array', 'application/json', '[1,2]', 'unrecognized-shape'],
    ['a JSON string', 'application/json', '"oops"', 'unrecognized-shape'],
    ['JSON null', 'application/json', 'null', 'unrecognized-shape'],
    ['trailing garbage after JSON', 'application/json', '{"action":"retry"}}', 'malformed-json'],
    ['an error with a numeric code', 'application/json', '{"action":"retry","status":403,"code":7,"message":"m"}', 'invalid-error-object'],
    [
      'an error with an out-of-range status',
      'application/json',
      '{"action":"retry","status":1000,"code":"x","message":"m"}',
      'invalid-error-object',
    ],
    ['an error without a message', 'application/json', '{"action":"retry","status":403,"code":"x"}', 'invalid-error-object'],
    ['an item whose error is a string', 'application/json', '{"resources":[{"id":"a","error":"boom"}]}', 'invalid-error-object'],
    ['an item that is not an object', 'application/json', '{"resources":[1]}', 'unrecognized-shape'],
    ['an empty Vimond list', 'application/json', '{"errors":[]}', 'unrecognized-shape'],
    ['a Vimond entry without a title', 'application/json', '{"errors":[{"code":"2000"}]}', 'invalid-error-object'],
    [
      'problem details without code and action',
      'application/problem+json',
      '{"type":"about:blank","title":"Not Found","status":404}',
      'unrecognized-shape',
    ],
    ['JSON declared as XML', 'application/xml', '{"action":"retry"}', 'malformed-xml'],
    ['XML without its closing tag', 'application/xml', xmlError(validFields).slice(0, -2), 'malformed-xml'],
    ['XML with another root', 'application/xml', '<response><status>ok</status></response>', 'unrecognized-shape'],
    ['an XML error missing a field', 'application/xml', xmlError('<action>retry</action><status>403</status>'), 'invalid-error-object'],
    ['an XML status that is not a number', 'application/xml', xmlError(validFields.replace('403', 'forbidden')), 'invalid-error-object'],
    [
      'an XML problem in another namespace',
      'application/xml',
      '<problem xmlns="urn:example:other"><code>x</code></problem>',
      'unrecognized-shape',
    ],
    ['white space only', 'application/json', ' \r\n\t ', 'empty-body'],
  ])('%s', (_title, contentType, body, reason) => {
    expectNotEnhanced(parseEnhancedErrorSync({ status: 418, headers: { 'Content-Type': contentType }, body }), reason, 418);
  });

  it('takes null, undefined and bytes for a body, and no headers at all', () => {
    expectNotEnhanced(parseEnhancedErrorSync({ status: 500, body: null }), 'empty-body', 500);
    expectNotEnhanced(parseEnhancedErrorSync({ status: 500, body: undefined }), 'empty-body', 500);
    const bytes = new TextEncoder().encode(xmlError(validFields));
    expect(parseEnhancedErrorSync({ status: 403, body: bytes })).toMatchObject({ kind: 'top-level', format: 'xml' });
  });

  it('keeps an element named __proto__ as a plain member', () => {
    const body = `<resources><item><__proto__><code>x</code></__proto__><id>a</id></item></resources>`;
    const result = parseEnhancedErrorSync({ status: 200, headers: { 'content-type': 'application/xml' }, body });
    if (result.kind !== 'item-level') throw new Error(result.kind);
    const fields = result.items[0]?.fields ?? {};
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toEqual({ code: 'x' });
  });

  it('never expands entities from a DOCTYPE', () => {
    const body = `<!DOCTYPE error [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xmlError(validFields.replace('<message>m', '<message>&x;'))}`;
    const result = parseEnhancedErrorSync({ status: 403, headers: { 'content-type': 'application/xml' }, body });
    expect(JSON.stringify(result)).not.toMatch(/root:/);
  });

  it.each([
    ['with an entity', '<!DOCTYPE error [<!ENTITY x "expanded">]>', '&x;'],
    ['without an internal subset', '<!DOCTYPE error>', 'm'],
    ['naming an external subset', '<!DOCTYPE error SYSTEM "error.dtd">', 'm'],
  ])('refuses a DOCTYPE %s', (_case, doctype, message) => {
    const body = xmlError(validFields.replace('<message>m', `<message>${message}`)).replace('<error>', `${doctype}<error>`);
    const result = parseEnhancedErrorSync({ status: 403, headers: { 'content-type': 'application/xml' }, body });
    expectNotEnhanced(result, 'malformed-xml', 403);
    expect(result).toMatchObject({ description: expect.stringContaining('DOCTYPE') });
  });

  it('refuses an entity XML does not define, and reads its five and character references', () => {
    const read = (message: string) =>
      parseEnhancedErrorSync({
        status: 403,
        headers: { 'content-type': 'application/xml' },
        body: xmlError(validFields.replace('<message>m', `<message>${message}`)),
      });
    expectNotEnhanced(read('&x;'), 'malformed-xml', 403);
    expect(read('&amp;&lt;&gt;&quot;&apos;&#x41;&#66;<![CDATA[<c>]]>')).toMatchObject({ error: { message: '&<>"\'AB<c>' } });
  });

  it('reads a document with comments and processing instructions around the root', () => {
    const body = `${xmlError(validFields).replace('<error>', '<!-- before --><?pi x?>\n<error>')}<!-- after --> <?pi y?>\n`;
    expect(parseEnhancedErrorSync({ status: 403, headers: { 'content-type': 'application/xml' }, body })).toMatchObject({
      kind: 'top-level',
      format: 'xml',
    });
  });

  it('keeps unknown future actions and codes as strings', () => {
    const body = JSON.stringify({ action: 'reauthenticate-device', status: 401, code: 'device_binding_expired', message: 'm', trace: 't' });
    const result = parseEnhancedErrorSync({ status: 401, headers: { 'content-type': 'application/json' }, body });
    expect(result).toMatchObject({ kind: 'top-level', error: { action: 'reauthenticate-device', code: 'device_binding_expired' } });
    expect(result.kind === 'top-level' && classifyAction(result.error.action)).toBe('unknown');
  });

  it('turns a failing or odd response object into "unreadable" instead of rejecting', async () => {
    const failing: ResponseLike = { status: 502, headers: new Headers(), text: () => Promise.reject(new Error('socket hang up')) };
    expectNotEnhanced(await parseEnhancedError(failing), 'unreadable-body', 502);
    const throwingHeaders = {
      status: 500,
      headers: {
        get: () => {
          throw new Error('bad headers');
        },
      },
      text: async () => '',
    };
    expectNotEnhanced(await parseEnhancedError(throwingHeaders), 'empty-body', 500);
  });

  it('never throws on random bytes and random mutations of real bodies', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const seeds = [
      xmlError(validFields),
      `{"resources":[{"id":"a","error":{"action":"retry","status":403,"code":"x","message":"m"}}]}`,
      '<problem xmlns="urn:ietf:rfc:7807"><title>t</title></problem>',
    ];
    const alphabet = '<>/{}[]":,&;#x!?-= \r\n\u0000\uFFFEaé😀';
    for (let round = 0; round < 500; round += 1) {
      const base = seeds[round % seeds.length] ?? '';
      const chars = [...base];
      for (let edits = 1 + Math.floor(random() * 4); edits > 0; edits -= 1) {
        chars.splice(Math.floor(random() * chars.length), Math.floor(random() * 3), alphabet[Math.floor(random() * alphabet.length)] ?? '');
      }
      for (const contentType of ['application/json', 'application/xml', 'text/plain']) {
        const result = parseEnhancedErrorSync({ status: 400, headers: { 'content-type': contentType }, body: chars.join('') });
        expect(result.httpStatus).toBe(400);
      }
    }
  });
});

/** The spec's JSON wrapped as `{"error": {…}}`, what some services send. */
const wrappingFormatter: Formatter = {
  mediaTypes: ['application/json'],
  contentType: 'application/json; charset=utf-8',
  formatError: (envelope) => JSON.stringify({ error: envelope }),
};

// Error objects as a bare body and inside "error": each must read the same either way.
const innerBodies: [string, unknown][] = [
  ['an error with an out-of-range status', { action: 'retry', status: 1000, code: 'x', message: 'm' }],
  ['an error with a numeric code', { action: 'retry', status: 403, code: 7, message: 'm' }],
  ['an error without a message', { action: 'retry', status: 403, code: 'x' }],
  ['an error with an empty action', { action: ' ', status: 403, code: 'x', message: 'm' }],
  ['an object without code and action', { reason: 'expired' }],
  ['a string', 'invalid_grant'],
  ['null', null],
  ['a number', 42],
];

describe.each(express5Only)('{"error": {…}} over real HTTP, %s', (_name, express) => {
  let bare: Loopback;
  let wrapped: Loopback;
  let raw: Loopback;

  beforeAll(async () => {
    const routes = {
      '/timeout': () => {
        throw passRegistry.create('network_connection_timeout', {
          details: 'The MVPD did not answer.',
          helpUrl: 'https://docs.example.com/e',
        });
      },
      '/busy': () => {
        throw passRegistry.create('too_many_requests', { retryAfter: 30 });
      },
    };
    const options = { generateTrace: () => 'trace-7', requestIdHeader: false } as const;
    bare = await serveOnLoopback(appWith(express, routes, { ...options, formatters: [jsonFormatter] }));
    wrapped = await serveOnLoopback(appWith(express, routes, { ...options, formatters: [wrappingFormatter] }));
    raw = await serveOnLoopback(
      appWith(express, {
        '/bare/:case': (req: Request, res: Response) => {
          res.status(400).json((innerBodies[Number(req.params.case)] as [string, unknown])[1]);
        },
        '/wrapped/:case': (req: Request, res: Response) => {
          res.status(400).json({ error: (innerBodies[Number(req.params.case)] as [string, unknown])[1] });
        },
        '/wrapped-truncated': (_req: Request, res: Response) => {
          res.status(429).type('json').send('{"error":{"action":"retry-after","status":429,"code":"too_many_requ');
        },
      }),
    );
  });
  afterAll(() => Promise.all([bare.close(), wrapped.close(), raw.close()]));

  it.each(['/timeout', '/busy'])('reads %s wrapped in "error" into the same result as the bare object', async (path) => {
    const wrappedResponse = await fetch(wrapped.url + path);
    const body = (await wrappedResponse.clone().json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['error']);
    const fromWrapped = await parseEnhancedError(wrappedResponse);
    const fromBare = await parseEnhancedError(await fetch(bare.url + path));
    expect(fromBare.kind).toBe('top-level');
    expect(fromWrapped).toEqual(fromBare);
  });

  it.each(innerBodies.map(([title], index) => [title, index] as const))(
    'reads %s inside "error" as it reads it bare',
    async (_title, index) => {
      const fromBare = await parseEnhancedError(await fetch(`${raw.url}/bare/${index}`));
      const fromWrapped = await parseEnhancedError(await fetch(`${raw.url}/wrapped/${index}`));
      expect(fromBare.kind).toBe('not-enhanced');
      expect(fromWrapped).toMatchObject({ kind: 'not-enhanced', httpStatus: 400 });
      if (fromWrapped.kind !== 'not-enhanced' || fromBare.kind !== 'not-enhanced') throw new Error('not refused');
      expect(fromWrapped.reason).toBe(fromBare.reason);
      expect(fromWrapped.description.length).toBeGreaterThan(0);
    },
  );

  it('says "not enhanced" for a wrapped body cut short', async () => {
    expectNotEnhanced(await parseEnhancedError(await fetch(`${raw.url}/wrapped-truncated`)), 'malformed-json', 429);
  });
});
