import { get, type IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import { passRegistry } from '../../src';
import { passRestV1Registry } from '../../src/core/catalogs';
import {
  createProblemJsonFormatter,
  createProblemXmlFormatter,
  jsonFormatter,
  xmlFormatter,
  problemJsonFormatter,
  problemXmlFormatter,
} from '../../src/core/formats';
import {
  classifyAction,
  parseEnhancedError,
  parseEnhancedErrorSync,
  type ParsedResponse,
  type ReceivedError,
  type TopLevelResult,
} from '../../src/client';
import { express5Only } from '../support/apps';
import { itemsAppWith, SPEC_HELP_URL } from '../support/item-apps';
import { serveOnLoopback, type Loopback } from '../support/loopback';

const HELP_URL = 'https://errors.example.com/catalog';
const TRICKY_DETAILS = 'Plan "Live" & <HD>\r\nline two\ttab';

function expectTopLevel(result: ParsedResponse): TopLevelResult {
  if (result.kind !== 'top-level') throw new Error(`expected a top-level result, got ${JSON.stringify(result)}`);
  return result;
}

describe.each(express5Only)('parseEnhancedError against the real handler, %s', (_name, express) => {
  let server: Loopback;

  beforeAll(async () => {
    // One options object builds both the error handler and sendItems.
    const app = itemsAppWith(
      express,
      {
        '/timeout': () => () => {
          throw passRegistry.create('network_connection_timeout', { details: TRICKY_DETAILS, helpUrl: HELP_URL });
        },
        '/missing': () => () => {
          throw passRegistry.create('not_found');
        },
        '/denied': () => () => {
          throw passRegistry.create('authorization_denied_by_mvpd');
        },
        '/busy': () => () => {
          throw passRegistry.create('too_many_requests', { retryAfter: 30 });
        },
        '/busy-until': () => () => {
          throw passRegistry.create('too_many_requests', { retryAfter: new Date('2031-05-06T07:08:09Z') });
        },
        '/crash': () => () => {
          throw new TypeError('secret connection string postgres://admin:hunter2@db');
        },
        '/resources':
          ({ sendItems }) =>
          (req: Request, res: Response) =>
            sendItems(req, res, {
              collection: 'resources',
              items: [
                { id: 'TestStream1', authorized: true },
                {
                  id: 'TestStream2',
                  authorized: false,
                  error: passRestV1Registry.create('authorization_denied_by_mvpd', {
                    details: 'Your subscription package does not include the "Live" channel',
                  }),
                },
              ],
            }),
        '/decisions':
          ({ sendItems }) =>
          (req: Request, res: Response) =>
            sendItems(req, res, {
              collection: 'decisions',
              items: [
                { resource: 'REF30', authorized: true, token: { issuedAt: 1697094207324, serializedToken: 'PHNpZ25hdHVyZUluZm8...' } },
                { resource: 'REF40', authorized: false, error: passRegistry.create('network_connection_timeout') },
                { resource: 'REF50', authorized: false, error: new Error('item-level secret') },
              ],
            }),
        '/vimond': () => (_req: Request, res: Response) => {
          res.status(404).json({ errors: [{ title: 'ASSET_NOT_FOUND', detail: 'The asset requested does not exist', code: '2000' }] });
        },
      },
      { formatters: [jsonFormatter, xmlFormatter, problemJsonFormatter, problemXmlFormatter] },
    );
    server = await serveOnLoopback(app);
  });
  afterAll(() => server.close());

  const fetchAs = (path: string, accept?: string) => fetch(server.url + path, accept === undefined ? {} : { headers: { accept } });

  it('reads a top-level JSON error: both statuses, every field, the request id', async () => {
    const response = await fetchAs('/timeout', 'application/json');
    const sent = (await response.clone().json()) as Record<string, unknown>;
    const result = expectTopLevel(await parseEnhancedError(response));
    const entry = passRegistry.get('network_connection_timeout');
    expect(result.format).toBe('json');
    expect(result.httpStatus).toBe(entry.status);
    expect(result.error).toEqual({
      action: entry.action,
      status: entry.status,
      code: entry.code,
      message: entry.message,
      details: TRICKY_DETAILS,
      helpUrl: HELP_URL,
      trace: sent.trace,
    });
    expect(result.requestId).toBe(response.headers.get('x-request-id'));
    expect(classifyAction(result.error.action)).toBe('request-context');
  });

  it('reads the same error from XML, special characters and CR included', async () => {
    const [json, xml] = await Promise.all([fetchAs('/timeout', 'application/json'), fetchAs('/timeout', 'application/xml')]);
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/);
    const fromJson = expectTopLevel(await parseEnhancedError(json));
    const fromXml = expectTopLevel(await parseEnhancedError(xml));
    expect(fromXml.format).toBe('xml');
    expect(fromXml.httpStatus).toBe(fromJson.httpStatus);
    const withoutTrace = ({ trace: _trace, ...fields }: ReceivedError) => fields;
    expect(withoutTrace(fromXml.error)).toEqual(withoutTrace(fromJson.error));
    expect(fromXml.error.details).toBe(TRICKY_DETAILS);
    expect(fromXml.error.trace).toEqual(expect.any(String));
  });

  it.each(['application/problem+json', 'application/problem+xml'])(
    'reads RFC 9457 problem details (%s) back into the same fields',
    async (accept) => {
      const [plain, problem] = await Promise.all([fetchAs('/timeout', 'application/json'), fetchAs('/timeout', accept)]);
      expect(problem.headers.get('content-type')).toMatch(new RegExp(`^${accept.replace('+', '\\+')}`));
      const fromPlain = expectTopLevel(await parseEnhancedError(plain));
      const fromProblem = expectTopLevel(await parseEnhancedError(problem));
      expect(fromProblem.format).toBe(accept.slice('application/'.length));
      expect({ ...fromProblem.error, trace: undefined }).toEqual({ ...fromPlain.error, trace: undefined });
    },
  );

  it.each(['application/problem+json', 'application/problem+xml'])(
    'reads an about:blank problem (%s), titled by the status phrase, back into the same fields, without helpUrl',
    async (accept) => {
      const [plain, problem] = await Promise.all([fetchAs('/missing', 'application/json'), fetchAs('/missing', accept)]);
      const fromPlain = expectTopLevel(await parseEnhancedError(plain));
      const fromProblem = expectTopLevel(await parseEnhancedError(problem));
      expect(fromProblem.error).toEqual({ ...fromPlain.error, trace: fromProblem.error.trace });
      expect(fromProblem.error.message).toBe(passRegistry.get('not_found').message);
      expect(fromProblem.error.helpUrl).toBeUndefined();
      const denied = expectTopLevel(await parseEnhancedError(await fetchAs('/denied', accept)));
      expect(denied.error.helpUrl).toBe(SPEC_HELP_URL);
    },
  );

  it('reads Retry-After as seconds, which the handler sends for a date too', async () => {
    const seconds = expectTopLevel(await parseEnhancedError(await fetchAs('/busy')));
    expect(seconds.error.action).toBe('retry-after');
    expect(seconds.httpStatus).toBe(429);
    expect(seconds.retryAfter).toBe(30);
    const date = expectTopLevel(await parseEnhancedError(await fetchAs('/busy-until', 'application/xml')));
    expect(typeof date.retryAfter).toBe('number');
    expect(Math.abs((date.retryAfter as number) - (Date.parse('2031-05-06T07:08:09Z') - Date.now()) / 1000)).toBeLessThan(60);
  });

  it('reads a redacted 5xx without anything of the original error', async () => {
    const result = expectTopLevel(await parseEnhancedError(await fetchAs('/crash')));
    expect(result.httpStatus).toBe(500);
    expect(result.error.status).toBe(500);
    expect(JSON.stringify(result)).not.toMatch(/hunter2|secret/);
  });

  it.each(['application/json', 'application/xml'])(
    "reads the spec's REST v1 item-level example (%s): HTTP 200, item status 403",
    async (accept) => {
      const result = await parseEnhancedError(await fetchAs('/resources', accept));
      if (result.kind !== 'item-level') throw new Error(`expected item-level, got ${result.kind}`);
      const entry = passRestV1Registry.get('authorization_denied_by_mvpd');
      expect(result.format).toBe(accept.slice('application/'.length));
      expect(result.collection).toBe('resources');
      expect(result.httpStatus).toBe(200);
      expect(result.items.map((item) => item.fields.id)).toEqual(['TestStream1', 'TestStream2']);
      expect(result.items[0]?.error).toBeUndefined();
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.index).toBe(1);
      expect(result.errors[0]?.error).toEqual({
        action: entry.action,
        status: 403,
        code: entry.code,
        message: entry.message,
        details: 'Your subscription package does not include the "Live" channel',
        helpUrl: SPEC_HELP_URL,
        trace: expect.any(String),
      });
      // JSON keeps the item's types; XML carries text.
      expect(result.items[1]?.fields.authorized).toBe(accept === 'application/json' ? false : 'false');
    },
  );

  it.each(['application/json', 'application/xml'])('reads nested item fields and several item errors (%s)', async (accept) => {
    const result = await parseEnhancedError(await fetchAs('/decisions', accept));
    if (result.kind !== 'item-level') throw new Error(`expected item-level, got ${result.kind}`);
    expect(result.collection).toBe('decisions');
    const token = result.items[0]?.fields.token as Record<string, unknown>;
    expect(String(token.issuedAt)).toBe('1697094207324');
    expect(token.serializedToken).toBe('PHNpZ25hdHVyZUluZm8...');
    expect(result.errors.map((item) => [item.fields.resource, item.error.action, item.error.status])).toEqual([
      ['REF40', 'retry', 403],
      ['REF50', 'none', 500],
    ]);
    expect(JSON.stringify(result)).not.toContain('item-level secret');
    // Every error of one response carries that response's trace.
    expect(new Set(result.errors.map((item) => item.error.trace)).size).toBe(1);
  });

  it('reads a Vimond body, which has no action of its own', async () => {
    const result = await parseEnhancedError(await fetchAs('/vimond'));
    expect(result).toMatchObject({
      kind: 'vimond',
      httpStatus: 404,
      errors: [{ title: 'ASSET_NOT_FOUND', detail: 'The asset requested does not exist', code: '2000' }],
    });
  });

  it("takes Node's own headers object in the sync variant", async () => {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`${server.url}/busy`, { headers: { accept: 'application/xml' } }, resolve).on('error', reject);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const result = expectTopLevel(
      parseEnhancedErrorSync({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
    );
    expect(result).toMatchObject({ format: 'xml', httpStatus: 429, retryAfter: 30, error: { code: 'too_many_requests' } });
  });

  it('says "not enhanced" for every truncation of a real JSON and XML body', async () => {
    for (const accept of ['application/json', 'application/xml', 'application/problem+json', 'application/problem+xml']) {
      const response = await fetchAs('/timeout', accept);
      const headers = Object.fromEntries(response.headers);
      const body = await response.text();
      expect(parseEnhancedErrorSync({ status: 403, headers, body }).kind).toBe('top-level');
      for (let length = 0; length < body.trimEnd().length; length += 1) {
        const result = parseEnhancedErrorSync({ status: 403, headers, body: body.slice(0, length) });
        if (result.kind !== 'not-enhanced')
          throw new Error(`${accept} cut at ${length} parsed as ${result.kind}: ${body.slice(0, length)}`);
        expect(result.httpStatus).toBe(403);
      }
    }
  });
});

describe.each(express5Only)('problem details typed under a typeBase, %s', (_name, express) => {
  it.each(['application/problem+json', 'application/problem+xml'])(
    'are read back into the fields of the plain JSON (%s)',
    async (accept) => {
      const formatters = [
        jsonFormatter,
        createProblemJsonFormatter({ typeBase: 'https://api.example.com/problems/' }),
        createProblemXmlFormatter({ typeBase: 'https://api.example.com/problems/' }),
      ];
      const app = itemsAppWith(
        express,
        {
          '/denied': () => () => {
            throw passRegistry.create('authorization_denied_by_mvpd', { details: TRICKY_DETAILS });
          },
        },
        { formatters, generateTrace: () => 'trace-1' },
      );
      const server = await serveOnLoopback(app);
      try {
        const fromPlain = expectTopLevel(await parseEnhancedError(await fetch(`${server.url}/denied`)));
        const fromProblem = expectTopLevel(await parseEnhancedError(await fetch(`${server.url}/denied`, { headers: { accept } })));
        expect(fromProblem.format).toBe(accept.slice('application/'.length));
        expect(fromProblem.error).toEqual(fromPlain.error);
        expect(fromProblem.error.helpUrl).toBe(SPEC_HELP_URL);
      } finally {
        await server.close();
      }
    },
  );
});

describe('problem details of other servers', () => {
  it('take the type as helpUrl when there is no helpUrl member, unless it is about:blank', () => {
    const read = (members: object) =>
      parseEnhancedErrorSync({
        status: 403,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify({ title: 'Denied.', status: 403, code: 'denied', action: 'none', ...members }),
      });
    expect(read({ type: 'https://docs.example.com/denied' })).toMatchObject({ error: { helpUrl: 'https://docs.example.com/denied' } });
    expect(expectTopLevel(read({ type: 'about:blank' })).error.helpUrl).toBeUndefined();
    expect(expectTopLevel(read({ type: 'https://docs.example.com/p#denied', helpUrl: 'https://docs.example.com/p' })).error.helpUrl).toBe(
      'https://docs.example.com/p',
    );
  });

  it('are read as problem details when sent as application/json: a type and a title, a message member or not', () => {
    const body = {
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'Not on this plan.',
      code: 'denied',
      action: 'none',
      message: 'Denied.',
    };
    const result = parseEnhancedErrorSync({ status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(result).toMatchObject({ format: 'problem+json', error: { message: 'Denied.', details: 'Not on this plan.' } });
  });
});
