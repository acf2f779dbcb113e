import { connect } from 'node:net';
import createError from 'http-errors';
import request from 'supertest';
import type { NextFunction, Request, Response } from 'express';
import { EnhancedError, enhancedErrorHandler, passRegistry, type Envelope, type ErrorContext } from '../../../src';
import { passRestV1Registry } from '../../../src/core/catalogs';
import { appWith, expressVersions } from '../../support/apps';
import { serveOnLoopback } from '../../support/loopback';
import { fields, parseXml } from '../../support/xml';

/** Chromium's Accept when it navigates to a page. */
const CHROMIUM_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SPEC_HELP_URL = 'https://experienceleague.adobe.com/docs/pass/authentication/auth-features/error-reportn/enhanced-error-codes.html';

describe.each(expressVersions)('%s', (_name, express) => {
  describe("the spec's examples", () => {
    const app = appWith(
      express,
      {
        '/requestor': () => {
          throw passRestV1Registry.create('invalid_requestor');
        },
        '/network': () => {
          throw passRegistry.create('network_connection_failure', { message: 'Unable to contact your TV provider services' });
        },
      },
      // The examples come from two catalogs (REST API v1 and the canonical table): each code is sent as it is.
      { strictCodes: 'keep' },
    );

    it('invalid_requestor 400 in JSON, fields in the spec order', async () => {
      const res = await request(app).get('/requestor').set('Accept', 'application/json').expect(400);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Object.keys(res.body)).toEqual(['action', 'status', 'code', 'message', 'helpUrl', 'trace']);
      expect({ ...res.body, trace: 'T' }).toEqual({
        action: 'none',
        status: 400,
        code: 'invalid_requestor',
        message: 'The requestor parameter is missing or invalid.',
        helpUrl: SPEC_HELP_URL,
        trace: 'T',
      });
      expect(res.body.trace).toMatch(UUID);
    });

    it('invalid_requestor 400 in XML', async () => {
      const res = await request(app).get('/requestor').set('Accept', 'application/xml').expect(400);
      expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
      expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><error>')).toBe(true);
      const { declaration, root } = parseXml(res.text);
      expect(declaration).toEqual({ version: '1.0', encoding: 'UTF-8' });
      expect(root.name).toBe('error');
      const trace = fields(root).find(([name]) => name === 'trace')?.[1];
      expect(trace).toMatch(UUID);
      expect(fields(root)).toEqual([
        ['action', 'none'],
        ['status', '400'],
        ['code', 'invalid_requestor'],
        ['message', 'The requestor parameter is missing or invalid.'],
        ['helpUrl', SPEC_HELP_URL],
        ['trace', trace],
      ]);
    });

    it('network_connection_failure 403 with action retry', async () => {
      const res = await request(app).get('/network').expect(403);
      expect({ ...res.body, trace: 'T' }).toEqual({
        action: 'retry',
        status: 403,
        code: 'network_connection_failure',
        message: 'Unable to contact your TV provider services',
        helpUrl: SPEC_HELP_URL,
        trace: 'T',
      });
    });
  });

  describe('normalizes whatever is thrown', () => {
    const secret = 'password=hunter2 at /srv/app/db.js';
    const app = appWith(express, {
      '/enhanced': () => {
        throw passRegistry.create('authorization_denied_by_mvpd', {
          details: 'Your subscription package does not include the "Live" channel',
        });
      },
      '/http/:status': (req) => {
        throw createError(Number(req.params.status));
      },
      '/http-message/:status': (req) => {
        throw createError(Number(req.params.status), `custom ${secret}`);
      },
      '/type-error': () => {
        throw new TypeError(`Cannot read properties of undefined (${secret})`);
      },
      '/string': () => {
        throw secret;
      },
      '/object': () => {
        throw { secret, nested: { secret } };
      },
      '/number': () => {
        throw 42;
      },
      '/status-object': () => {
        throw { status: 404, message: secret };
      },
      '/wrong-status': () => {
        throw Object.assign(new Error(secret), { status: 302, statusCode: 200 });
      },
      '/next-string': (_req, _res, next) => {
        next(secret);
      },
      '/rejected': (_req, _res, next) => {
        // Express 4 does not catch rejected promises itself; Express 5 would.
        Promise.reject(new Error(secret)).catch(next);
      },
      '/body': (req, res) => {
        res.json(req.body);
      },
    });

    it('sends an EnhancedError as it is', async () => {
      const res = await request(app).get('/enhanced').expect(403);
      expect(res.body).toMatchObject({
        action: 'none',
        status: 403,
        code: 'authorization_denied_by_mvpd',
        details: 'Your subscription package does not include the "Live" channel',
        helpUrl: SPEC_HELP_URL,
      });
      expect(Object.keys(res.body)).toEqual(['action', 'status', 'code', 'message', 'details', 'helpUrl', 'trace']);
    });

    it.each([
      [400, 'bad_request', 'none'],
      [405, 'invalid_http_method', 'none'],
      [429, 'too_many_requests', 'retry-after'],
      [503, 'service_unavailable', 'none'],
    ])('maps an http-errors %i to %s', async (status, code, action) => {
      const res = await request(app).get(`/http/${status}`).expect(status);
      expect(res.body).toMatchObject({ status, code, action, message: passRegistry.get(code)?.message });
      expect(res.body.details).toBeUndefined();
    });

    it("keeps an unmapped 4xx status under the registry's own codes", async () => {
      const res = await request(app).get('/http/404').expect(404);
      expect(res.body).toMatchObject({ status: 404, code: 'not_found', action: 'none', message: passRegistry.get('not_found').message });
      const teapot = await request(app).get('/http/418').expect(418);
      expect(teapot.body).toMatchObject({ status: 418, code: 'client_error' });
    });

    it('passes an exposed 4xx message as details, never a 5xx one', async () => {
      const client = await request(app).get('/http-message/400').expect(400);
      expect(client.body).toMatchObject({ code: 'bad_request', details: `custom ${secret}` });
      const server = await request(app).get('/http-message/502').expect(502);
      expect(server.body).toMatchObject({ code: 'server_error', status: 502 });
      expect(server.text).not.toContain('hunter2');
    });

    it.each(['/type-error', '/string', '/object', '/number', '/next-string', '/rejected', '/wrong-status'])(
      '%s becomes a redacted internal_error 500',
      async (path) => {
        const res = await request(app).get(path).expect(500);
        expect(Object.keys(res.body)).toEqual(['action', 'status', 'code', 'message', 'helpUrl', 'trace']);
        expect(res.body).toMatchObject({
          action: 'none',
          status: 500,
          code: 'internal_error',
          message: 'The request failed due to an internal server error.',
          helpUrl: SPEC_HELP_URL,
        });
        expect(res.text).not.toMatch(/hunter2|srv|TypeError|stack|secret/);
      },
    );

    it('does not trust the message of a plain object with a 4xx status', async () => {
      const res = await request(app).get('/status-object').expect(404);
      expect(res.body.details).toBeUndefined();
      expect(res.text).not.toContain('hunter2');
    });

    it("turns body-parser's errors into a 4xx with a safe message", async () => {
      const parse = await request(app).post('/body').set('Content-Type', 'application/json').send('{"a": secret}').expect(400);
      expect(parse.body).toMatchObject({ code: 'bad_request', details: 'The request body could not be parsed.' });
      expect(parse.text).not.toContain('secret');
      const large = await request(app)
        .post('/body')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ a: 'x'.repeat(200_000) }))
        .expect(413);
      expect(large.body).toMatchObject({ status: 413, code: 'client_error', details: 'The request body is too large.' });
    });
  });

  describe('negotiates the format by Accept', () => {
    const app = appWith(express, {
      '/': () => {
        throw passRegistry.create('bad_request');
      },
    });
    it.each([
      [undefined, 'application/json'],
      ['*/*', 'application/json'],
      ['application/json', 'application/json'],
      ['application/xml', 'application/xml'],
      ['text/xml', 'application/xml'],
      ['application/json;q=0.5, application/xml', 'application/xml'],
      ['application/xml;q=0.1, application/json;q=0.9', 'application/json'],
      // A browser's navigation gets the HTML page (test/core/formats/html-page.test.ts); without it, XML ranks first.
      ['text/html;q=0.5, application/xml;q=0.9, */*;q=0.8', 'application/xml'],
      ['text/html', 'text/html'],
      ['image/png;q=0', 'application/json'],
    ])('Accept %s → %s, never 406', async (accept, type) => {
      const req = request(app).get('/');
      if (accept !== undefined) req.set('Accept', accept);
      const res = await req.expect(400);
      expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
      expect(res.headers.vary).toBe('Accept');
    });

    it('answers XML by default with defaultType', async () => {
      const xmlFirst = appWith(
        express,
        {
          '/': () => {
            throw passRegistry.create('bad_request');
          },
        },
        { defaultType: 'application/xml' },
      );
      const res = await request(xmlFirst).get('/').expect(400);
      expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
      const json = await request(xmlFirst).get('/').set('Accept', 'application/json').expect(400);
      expect(json.body.code).toBe('bad_request');
    });

    it('refuses a defaultType no formatter offers, at start-up', () => {
      expect(() => appWith(express, {}, { defaultType: 'text/html' })).toThrow('defaultType "text/html" is not a media type');
    });
  });

  describe('escapes every string', () => {
    const nasty = [
      'quotes " \' and <angle> & ampersand',
      'CDATA end ]]> and </error><injected>x</injected>',
      'CR\rLF\nCRLF\r\ntab\t.',
      'controls \u0000\u0001\u0008\u000b\u000c\u001f\u007f end',
      'lone surrogates \ud800 and \udfff, pair \ud83d\ude00',
      'non-characters \ufffe\uffff',
      '𝓊𝓃𝒾𝒸𝑜𝒹𝑒 and ümlaut',
    ];
    const app = appWith(express, {
      '/:index': (req) => {
        throw passRegistry.create('authorization_denied_by_mvpd', { details: nasty[Number(req.params.index)] });
      },
    });

    it.each(nasty.map((text, index) => [index, text]))(
      'details #%i reads back from XML exactly, but for chars XML cannot carry',
      async (index, text) => {
        const res = await request(app).get(`/${index}`).set('Accept', 'application/xml').expect(403);
        const { root } = parseXml(res.text);
        const expected = text.replace(
          /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
          '\ufffd',
        );
        expect(root.children.map((child) => child.name)).toEqual(['action', 'status', 'code', 'message', 'details', 'helpUrl', 'trace']);
        expect(root.children[4]?.text).toBe(expected);
      },
    );

    it.each(nasty.map((text, index) => [index, text]))('details #%i reads back from JSON exactly', async (index, text) => {
      const res = await request(app).get(`/${index}`).expect(403);
      expect(JSON.parse(res.text).details).toBe(text);
    });
  });

  describe('trace and request id', () => {
    const seen: ErrorContext[] = [];
    const app = appWith(
      express,
      {
        '/': () => {
          throw passRegistry.create('bad_request');
        },
      },
      { onError: (_error, context) => seen.push(context) },
    );

    it('gives every response its own UUID trace', async () => {
      const a = await request(app).get('/');
      const b = await request(app).get('/');
      expect(a.body.trace).toMatch(UUID);
      expect(b.body.trace).toMatch(UUID);
      expect(a.body.trace).not.toBe(b.body.trace);
    });

    it('echoes a safe X-Request-Id and keeps both on res.locals', async () => {
      seen.length = 0;
      const res = await request(app).get('/').set('X-Request-Id', 'abc.DEF_123-x');
      expect(res.headers['x-request-id']).toBe('abc.DEF_123-x');
      expect(seen).toHaveLength(1);
      expect(seen[0]?.requestId).toBe('abc.DEF_123-x');
      expect(seen[0]?.res.locals).toMatchObject({ requestId: 'abc.DEF_123-x', trace: res.body.trace });
    });

    it.each(['has spaces', 'x'.repeat(129), 'semi;colon', 'ümlaut', ''])(
      'replaces the unsafe request id %j with a generated one',
      async (id) => {
        const res = await request(app).get('/').set('X-Request-Id', id);
        expect(res.headers['x-request-id']).toMatch(UUID);
      },
    );

    it('accepts a custom header name, a trace generator, and no request id at all', async () => {
      let n = 0;
      const custom = appWith(
        express,
        {
          '/': () => {
            throw passRegistry.create('bad_request');
          },
        },
        {
          requestIdHeader: 'Adobe-Request-Id',
          generateTrace: () => `trace-${++n}`,
        },
      );
      const res = await request(custom).get('/').set('Adobe-Request-Id', 'req-1');
      expect(res.headers['adobe-request-id']).toBe('req-1');
      expect(res.body.trace).toBe('trace-1');
      const off = appWith(
        express,
        {
          '/': () => {
            throw passRegistry.create('bad_request');
          },
        },
        { requestIdHeader: false },
      );
      const none = await request(off).get('/').set('X-Request-Id', 'req-2');
      expect(none.headers['x-request-id']).toBeUndefined();
    });

    it('falls back to a UUID when the trace generator misbehaves', async () => {
      const bad = appWith(
        express,
        {
          '/': () => {
            throw passRegistry.create('bad_request');
          },
        },
        { generateTrace: () => 'bad trace\r\n' },
      );
      const res = await request(bad).get('/').expect(400);
      expect(res.body.trace).toMatch(UUID);
    });
  });

  describe('helpUrl', () => {
    const registry = passRegistry;
    const routes = {
      '/own': () => {
        throw registry.create('bad_request', { helpUrl: 'https://errors.example.com/own' });
      },
      '/bad-own': () => {
        throw registry.create('bad_request', { helpUrl: 'javascript:alert(1)' });
      },
      '/none': () => {
        throw registry.create('bad_request');
      },
      '/adhoc': () => {
        throw new EnhancedError({ code: 'video_gone', status: 410, action: 'none', message: 'Gone.', helpUrl: '/relative' });
      },
    };

    it('prefers the error, then the option; drops anything not absolute http(s)', async () => {
      const app = appWith(express, routes, { helpUrl: 'https://docs.example.com/errors' });
      expect((await request(app).get('/own')).body.helpUrl).toBe('https://errors.example.com/own');
      expect((await request(app).get('/bad-own')).body.helpUrl).toBe('https://docs.example.com/errors');
      expect((await request(app).get('/none')).body.helpUrl).toBe('https://docs.example.com/errors');
    });

    it('calls a function option with the error and the request, and drops what it gets wrong', async () => {
      const app = appWith(express, routes, {
        helpUrl: (error, req) => (req.url === '/none' ? `https://docs.example.com/errors#${error.code}` : 'ftp://nope'),
        // The ad-hoc code is sent as it is, with only the helpUrl it was given.
        strictCodes: 'keep',
      });
      expect((await request(app).get('/none')).body.helpUrl).toBe('https://docs.example.com/errors#bad_request');
      const dropped = await request(app).get('/adhoc');
      expect(dropped.body.helpUrl).toBeUndefined();
      expect(Object.keys(dropped.body)).toEqual(['action', 'status', 'code', 'message', 'trace']);
    });

    it("uses the registry entry's helpUrl last", async () => {
      const { createRegistry } = await import('../../../src');
      const withUrls = createRegistry({
        video_gone: { status: 410, action: 'none', message: 'Gone.', helpUrl: 'https://registry.example.com/video_gone' },
      });
      const app = appWith(
        express,
        {
          '/': () => {
            throw withUrls.create('video_gone');
          },
        },
        { strictCodes: 'keep' },
      );
      expect((await request(app).get('/')).body.helpUrl).toBe('https://registry.example.com/video_gone');
      const overridden = appWith(
        express,
        {
          '/': () => {
            throw withUrls.create('video_gone');
          },
        },
        { helpUrl: 'https://option.example.com', strictCodes: 'keep' },
      );
      expect((await request(overridden).get('/')).body.helpUrl).toBe('https://option.example.com');
    });

    it.each(['/relative', 'javascript:alert(1)', 'https://exa mple.com', 'https://example.com/\r\nX: y'])(
      'refuses the option %j at start-up',
      (helpUrl) => {
        expect(() => appWith(express, {}, { helpUrl })).toThrow('helpUrl option must be an absolute http(s) URL');
      },
    );
  });

  describe('headers', () => {
    const date = new Date('2030-01-02T03:04:05Z');
    const { createRegistry } = jest.requireActual('../../../src') as typeof import('../../../src');
    const limited = createRegistry({ slow_down: { status: 429, action: 'retry-after', message: 'Slow down.', retryAfter: 7 } });
    const app = appWith(
      express,
      {
        '/seconds': () => {
          throw passRegistry.create('too_many_requests', { retryAfter: 30 });
        },
        '/date': () => {
          throw passRegistry.create('user_rate_limit_exceeded', { retryAfter: date });
        },
        '/registry-default': () => {
          throw limited.create('slow_down');
        },
        '/handler-default': () => {
          throw passRegistry.create('too_many_requests');
        },
        '/not-retry-after': () => {
          throw passRegistry.create('network_connection_timeout', { retryAfter: 5 });
        },
        '/headers': () => {
          throw passRegistry.create('bad_request', {
            headers: {
              'X-Rate-Limit': 10,
              'X-Bad': 'a\r\nSet-Cookie: evil=1',
              'Bad Name': 'x',
              'Content-Type': 'text/html',
              'Retry-After': '1',
            },
          });
        },
        '/http-errors-headers': () => {
          throw createError(401, { headers: { 'WWW-Authenticate': 'Bearer' } });
        },
        '/server-headers': () => {
          throw createError(500, { headers: { 'X-Internal-Host': 'db-7' } });
        },
        '/stale': (_req, res) => {
          res.setHeader('Content-Disposition', 'attachment; filename=video.mp4');
          res.setHeader('Content-Type', 'video/mp4');
          res.setHeader('Access-Control-Allow-Origin', '*');
          throw passRegistry.create('bad_request');
        },
      },
      // The registry-default route throws a code of a registry of its own, sent as it is.
      { retryAfter: 120, strictCodes: 'keep' },
    );

    it('sets Retry-After from the error (seconds, or a date as seconds from now), the registry, then the handler default', async () => {
      expect((await request(app).get('/seconds').expect(429)).headers['retry-after']).toBe('30');
      const before = Date.now();
      const dated = (await request(app).get('/date').expect(429)).headers['retry-after'];
      const after = Date.now();
      expect(dated).toMatch(/^\d+$/);
      expect(Number(dated) * 1000).toBeGreaterThanOrEqual(date.getTime() - after);
      expect(Number(dated) * 1000).toBeLessThan(date.getTime() - before + 1000);
      expect((await request(app).get('/registry-default').expect(429)).headers['retry-after']).toBe('7');
      expect((await request(app).get('/handler-default').expect(429)).headers['retry-after']).toBe('120');
      // A wait the route chose is sent whatever the action: it reveals nothing and a client rightly honours it.
      expect((await request(app).get('/not-retry-after').expect(403)).headers['retry-after']).toBe('5');
    });

    it("sends an error's own HTTP-date Retry-After, and a Date, as delay-seconds from now, never negative", async () => {
      const inTwoMinutes = new Date(Math.ceil(Date.now() / 1000) * 1000 + 120_000);
      const past = new Date(Date.now() - 3_600_000);
      const dates = appWith(express, {
        '/http-errors-date': () => {
          throw createError(503, { headers: { 'Retry-After': inTwoMinutes.toUTCString() } });
        },
        '/own-header-date': () => {
          throw passRegistry.create('too_many_requests', { headers: { 'retry-after': inTwoMinutes.toUTCString() } });
        },
        '/past-date': () => {
          throw createError(429, { headers: { 'Retry-After': past.toUTCString() } });
        },
        '/past-retry-after': () => {
          throw passRegistry.create('too_many_requests', { retryAfter: past });
        },
      });
      for (const path of ['/http-errors-date', '/own-header-date']) {
        const before = Date.now();
        const res = await request(dates).get(path);
        const after = Date.now();
        const header = String(res.headers['retry-after']);
        expect(header).toMatch(/^\d+$/);
        expect(Number(header) * 1000).toBeGreaterThanOrEqual(inTwoMinutes.getTime() - after);
        expect(Number(header) * 1000).toBeLessThan(inTwoMinutes.getTime() - before + 1000);
      }
      expect((await request(dates).get('/past-date').expect(429)).headers['retry-after']).toBe('0');
      expect((await request(dates).get('/past-retry-after').expect(429)).headers['retry-after']).toBe('0');
    });

    it('uses 60 seconds when nothing else sets Retry-After', async () => {
      const plain = appWith(express, {
        '/': () => {
          throw passRegistry.create('too_many_requests');
        },
      });
      expect((await request(plain).get('/').expect(429)).headers['retry-after']).toBe('60');
    });

    it("applies an error's valid headers and never a CR/LF or an owned header", async () => {
      const res = await request(app).get('/headers').expect(400);
      expect(res.headers['x-rate-limit']).toBe('10');
      expect(res.headers['x-bad']).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['retry-after']).toBe('1');
      expect((await request(app).get('/http-errors-headers').expect(401)).headers['www-authenticate']).toBe('Bearer');
      expect((await request(app).get('/server-headers').expect(500)).headers['x-internal-host']).toBeUndefined();
    });

    it("never lets an error's headers set what the response owns, in any letter case, nor its request id", async () => {
      const owned = appWith(express, {
        '/': () => {
          throw passRegistry.create('bad_request', {
            headers: {
              'SET-COOKIE': 'session=forged',
              'content-encoding': 'gzip',
              'Transfer-Encoding': 'chunked',
              'X-Request-Id': 'forged',
              'X-Kept': 'yes',
            },
          });
        },
      });
      const res = await request(owned).get('/').expect(400);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['transfer-encoding']).toBeUndefined();
      expect(res.headers['x-request-id']).toMatch(/^(?!forged$)./);
      expect(res.headers['x-kept']).toBe('yes');
    });

    it("sends an error's finite numbers and strings only, within 8 KiB of names and values, counting only headers sent", async () => {
      const room = 8192;
      const headers = (value: string) => ({
        'X-NaN': Number.NaN,
        'X-Infinite': Number.POSITIVE_INFINITY,
        'X-Refused': `${'r'.repeat(4000)}\n`,
        'X-Fill': value,
        'X-One-Over': 'x',
      });
      const sized = appWith(express, {
        '/exact': () => {
          throw passRegistry.create('bad_request', { headers: headers('f'.repeat(room - 'X-Fill'.length)) });
        },
        '/one-over': () => {
          throw passRegistry.create('bad_request', { headers: headers('f'.repeat(room - 'X-Fill'.length - 1)) });
        },
      });
      const exact = await request(sized).get('/exact').expect(400);
      expect(exact.headers['x-nan']).toBeUndefined();
      expect(exact.headers['x-infinite']).toBeUndefined();
      expect(exact.headers['x-refused']).toBeUndefined();
      // The refused header took no room: X-Fill fills it exactly, and nothing more fits.
      expect(exact.headers['x-fill']).toHaveLength(room - 'X-Fill'.length);
      expect(exact.headers['x-one-over']).toBeUndefined();
      const oneOver = await request(sized).get('/one-over').expect(400);
      expect(oneOver.headers['x-fill']).toHaveLength(room - 'X-Fill'.length - 1);
      // 'X-One-Over' and 'x' need 11 bytes, one byte is left.
      expect(oneOver.headers['x-one-over']).toBeUndefined();
    });

    it('sets nosniff and no-store, drops the headers of the body the route meant to send, keeps CORS', async () => {
      const res = await request(app).get('/stale').expect(400);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    });

    it('answers HEAD with the headers and no body', async () => {
      const res = await request(app).head('/seconds').expect(429);
      expect(res.headers['retry-after']).toBe('30');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
      expect(res.text).toBeUndefined();
    });

    it('sends no body bytes on the wire for HEAD', async () => {
      const server = await serveOnLoopback(app);
      try {
        const { port } = new URL(server.url);
        const raw = await new Promise<string>((resolve, reject) => {
          const socket = connect(Number(port), '127.0.0.1', () =>
            socket.write('HEAD /seconds HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
          );
          let data = '';
          socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
          socket.on('end', () => resolve(data));
          socket.on('error', reject);
        });
        expect(raw).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
        expect(raw).toMatch(/\r\ncontent-length: [1-9]\d*\r\n/i);
        expect(raw.endsWith('\r\n\r\n')).toBe(true);
      } finally {
        await server.close();
      }
    });
  });

  describe('when headers were already sent', () => {
    it('hands the error to next and never throws', async () => {
      const handedOver: unknown[] = [];
      const app = express();
      app.get('/', (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('partial');
        throw passRegistry.create('bad_request');
      });
      app.use(enhancedErrorHandler({ log: false }));
      app.use((err: unknown, _req: unknown, res: { end(): void }, _next: unknown) => {
        handedOver.push(err);
        res.end();
      });
      const res = await request(app).get('/');
      expect(res.status).toBe(200);
      expect(res.text).toBe('partial');
      expect(handedOver).toHaveLength(1);
      expect((handedOver[0] as EnhancedError).code).toBe('bad_request');
    });
  });

  describe('when even the fixed fallback body cannot be written', () => {
    it("hands the failure to Express's own handler, which still answers", async () => {
      const handedOver: unknown[] = [];
      const app = express();
      app.get('/', (_req, res) => {
        // Breaks what the error response needs and Express's own answer does not use.
        res.getHeaderNames = () => {
          throw new Error('a broken response object');
        };
        throw passRegistry.create('bad_request');
      });
      app.use(enhancedErrorHandler({ log: false }));
      app.use((err: unknown, _req: unknown, res: { statusCode: number; end(body: string): void }, _next: unknown) => {
        handedOver.push(err);
        res.statusCode = 500;
        res.end('answered by the next handler');
      });
      const res = await request(app).get('/').timeout(5000);
      expect(res.status).toBe(500);
      expect(res.text).toBe('answered by the next handler');
      expect(String(handedOver[0])).toContain('a broken response object');
    });
  });

  describe('logging', () => {
    let stderr: jest.SpyInstance;
    beforeEach(() => {
      stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    });
    afterEach(() => stderr.mockRestore());

    const routes = {
      '/crash': () => {
        throw new Error('database is down');
      },
      '/client': () => {
        throw passRegistry.create('bad_request');
      },
    };

    it('logs 5xx to stderr with code, trace and the original error by default, and not 4xx', async () => {
      const app = appWith(express, routes, { log: true });
      const crash = await request(app).get('/crash').expect(500);
      await request(app).get('/client').expect(400);
      const lines = stderr.mock.calls.map((call) => String(call[0])).join('');
      expect(lines).toContain(`500 internal_error GET /crash trace=${crash.body.trace}`);
      expect(lines).toContain('database is down');
      expect(lines).not.toContain('bad_request');
    });

    it('is silenced by log: false', async () => {
      const app = appWith(express, routes, { log: false });
      await request(app).get('/crash').expect(500);
      expect(stderr).not.toHaveBeenCalled();
    });

    it('calls onError once per error with the normalized error, its envelope and the original as cause', async () => {
      const calls: [EnhancedError, ErrorContext][] = [];
      const app = appWith(express, routes, { onError: (error, context) => calls.push([error, context]) });
      const res = await request(app).get('/crash').set('X-Request-Id', 'r-1').expect(500);
      expect(calls).toHaveLength(1);
      const [error, context] = calls[0]!;
      expect(error.code).toBe('internal_error');
      expect((error.cause as Error).message).toBe('database is down');
      expect(context.envelope).toMatchObject({ code: 'internal_error', trace: res.body.trace });
      expect(context.requestId).toBe('r-1');
      expect(context.req.url).toBe('/crash');
      expect(stderr).not.toHaveBeenCalled();
    });

    it('survives an onError that throws', async () => {
      const app = appWith(express, routes, {
        onError: () => {
          throw new Error('logger broke');
        },
      });
      const res = await request(app).get('/client').expect(400);
      expect(res.body.code).toBe('bad_request');
    });
  });
});

/** A formatter whose every answer fails, as a buggy one of a service's own would. */
const failingFormatter = (mediaTypes: string[], contentType: string) => ({
  mediaTypes,
  contentType,
  formatError: (): string => {
    throw new Error('formatter bug at /srv/app/format.js');
  },
});

describe.each(expressVersions)('%s: a formatter that throws', (_name, express) => {
  it.each([
    ['with logging on, tells stderr', true, false],
    ['with logging off, stays silent', false, false],
    ['with onError and logging on, tells stderr', true, true],
    ['with onError and logging off, stays silent', false, true],
  ])('gets a fixed JSON internal_error instead of a page that may show a stack; %s', async (_case, log, withOnError) => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const broken = failingFormatter(['application/json'], 'application/json; charset=utf-8');
      const app = appWith(
        express,
        {
          '/': () => {
            throw passRegistry.create('bad_request');
          },
        },
        { formatters: [broken], log, ...(withOnError ? { onError: () => {} } : {}) },
      );
      // The fixed body is the answer: nothing after the handler sees the failure.
      const passedOn: unknown[] = [];
      app.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
        passedOn.push(err);
        next(err);
      });
      const res = await request(app).get('/').set('Accept-Language', 'fr').expect(500);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers.vary).toBe('Accept');
      expect(res.body).toMatchObject({ action: 'none', status: 500, code: 'internal_error' });
      expect(res.body.trace).toMatch(UUID);
      expect(res.text).not.toContain('/srv');
      expect(passedOn).toEqual([]);
      const written = stderr.mock.calls.map((call) => String(call[0])).join('');
      if (log) expect(written).toContain('formatter bug');
      else expect(written).toBe('');
    } finally {
      stderr.mockRestore();
    }
  });
});

describe.each(expressVersions)('%s: the fixed body when a formatter throws', (_name, express) => {
  const app = appWith(
    express,
    {
      '/': () => {
        throw passRegistry.create('bad_request');
      },
    },
    {
      // Every type a client may ask for fails, so each request gets the fixed body.
      formatters: [
        failingFormatter(
          ['application/json', 'application/xml', 'application/problem+json', 'application/problem+xml'],
          'application/json',
        ),
        failingFormatter(['text/html'], 'text/html; charset=utf-8'),
      ],
      generateTrace: () => 'trace-of-the-response',
      log: false,
    },
  );

  /** The request id and the response's own trace, whichever body goes out. */
  function expectIds(res: request.Response): void {
    expect(res.status).toBe(500);
    expect(res.headers['x-request-id']).toBe('req-7');
    expect(res.headers.vary).toBe('Accept');
    expect(res.text).toContain('trace-of-the-response');
    expect(res.text).not.toContain('/srv');
  }

  it('is JSON when Accept asks for nothing else', async () => {
    const res = await request(app).get('/').set('X-Request-Id', 'req-7');
    expectIds(res);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      action: 'none',
      status: 500,
      code: 'internal_error',
      message: passRegistry.get('internal_error').message,
      trace: 'trace-of-the-response',
    });
  });

  it.each([
    ['application/xml', 'application/xml; charset=utf-8', 'error'],
    ['application/problem+xml', 'application/problem+xml; charset=utf-8', 'problem'],
  ])('is XML for %s', async (accept, contentType, rootName) => {
    const res = await request(app).get('/').set('Accept', accept).set('X-Request-Id', 'req-7');
    expectIds(res);
    expect(res.headers['content-type']).toBe(contentType);
    const { root } = parseXml(res.text);
    expect(root.name).toBe(rootName);
    expect(Object.fromEntries(fields(root))).toMatchObject({ code: 'internal_error', status: '500', trace: 'trace-of-the-response' });
  });

  it('is problem details for application/problem+json', async () => {
    const res = await request(app).get('/').set('Accept', 'application/problem+json').set('X-Request-Id', 'req-7');
    expectIds(res);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(res.text)).toMatchObject({ status: 500, code: 'internal_error', trace: 'trace-of-the-response' });
  });

  it("is the HTML page for a browser's navigation", async () => {
    const res = await request(app).get('/').set('Accept', CHROMIUM_ACCEPT).set('X-Request-Id', 'req-7');
    expectIds(res);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('internal_error');
  });
});

describe.each(expressVersions)('%s: one error and a formatter that can write several', (_name, express) => {
  it('goes through formatError: formatErrors is for an AggregateError of several', async () => {
    const both = {
      mediaTypes: ['text/plain'],
      contentType: 'text/plain; charset=utf-8',
      formatError: (envelope: Envelope) => `one: ${envelope.code}`,
      formatErrors: (envelopes: readonly Envelope[]) => `several: ${envelopes.map((envelope) => envelope.code).join(', ')}`,
    };
    const app = appWith(
      express,
      {
        '/one': () => {
          throw passRegistry.create('bad_request');
        },
        '/two': () => {
          throw new AggregateError([passRegistry.create('bad_request'), passRegistry.create('too_many_requests')]);
        },
      },
      { formatters: [both], defaultType: 'text/plain' },
    );
    expect((await request(app).get('/one').expect(400)).text).toBe('one: bad_request');
    expect((await request(app).get('/two').expect(400)).text).toBe('several: bad_request, too_many_requests');
  });
});

describe.each(expressVersions)('%s: Vary', (_name, express) => {
  it('adds Accept to a Vary header a middleware already set', async () => {
    const app = appWith(express, {
      '/': (_req, res) => {
        res.setHeader('Vary', 'Origin');
        throw passRegistry.create('bad_request');
      },
    });
    const res = await request(app).get('/').expect(400);
    expect(res.headers.vary).toBe('Origin, Accept');
  });

  it('adds Accept to a Vary header set as a list', async () => {
    const app = appWith(express, {
      '/': (_req, res) => {
        res.setHeader('Vary', ['Origin', 'Cookie']);
        throw passRegistry.create('bad_request');
      },
    });
    const res = await request(app).get('/').expect(400);
    expect(res.headers.vary).toBe('Origin, Cookie, Accept');
  });
});

describe.each(expressVersions)('%s: headers readable after the response', (_name, express) => {
  // Loggers (morgan's :res[content-length], pino-http) read the response's headers once it
  // is sent: the handler sets them on the response even when nothing else set any.
  it('keeps them on the response with no request id and no X-Powered-By', async () => {
    // 'finish' may come after the client has read the response: wait for it, not for the client.
    let onFinish: (headers: Record<string, unknown>) => void = () => undefined;
    const finished = new Promise<Record<string, unknown>>((resolve) => (onFinish = resolve));
    const app = appWith(
      express,
      {
        '/': (_req, res) => {
          res.on('finish', () => onFinish({ ...res.getHeaders() }));
          throw passRegistry.create('bad_request');
        },
      },
      { requestIdHeader: false },
    );
    app.disable('x-powered-by');
    const res = await request(app).get('/').expect(400);
    expect(await finished).toEqual(
      expect.objectContaining({
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(res.text),
        'cache-control': 'no-store',
        vary: 'Accept',
      }),
    );
  });
});

describe.each(expressVersions)('%s: headers of the response the route meant to send', (_name, express) => {
  const app = appWith(express, {
    '/range': () => {
      throw createError(416, { headers: { 'Content-Range': 'bytes */100' } });
    },
    '/stale-retry-after': (_req, res) => {
      res.setHeader('Retry-After', '999');
      res.setHeader('ETag', '"v1"');
      throw new Error('boom');
    },
  });

  it("keep an error's own entity headers, such as Content-Range", async () => {
    const res = await request(app).get('/range').expect(416);
    expect(res.headers['content-range']).toBe('bytes */100');
  });

  it('drop a Retry-After and an ETag the route set before it failed', async () => {
    const res = await request(app).get('/stale-retry-after').expect(500);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
  });
});

describe('options are checked at start-up', () => {
  const { enhancedErrorHandler } = jest.requireActual('../../../src') as typeof import('../../../src');
  it.each([
    ['onError that is not a function', { onError: 'nope' }, 'onError option must be a function'],
    ['log that is not a boolean', { log: 'yes' }, 'log option must be a boolean'],
    ['no formatters', { formatters: [] }, 'formatters option must be a non-empty array'],
    [
      'a formatter without media types',
      { formatters: [{ mediaTypes: [], contentType: 'a/b', formatError: String }] },
      'formatters[0].mediaTypes',
    ],
    [
      'a formatter with a CR/LF content type',
      { formatters: [{ mediaTypes: ['a/b'], contentType: 'a/b\r\nX: y', formatError: String }] },
      'formatters[0].contentType must be a header value',
    ],
    [
      'a formatter without formatError',
      { formatters: [{ mediaTypes: ['a/b'], contentType: 'a/b' }] },
      'formatters[0].formatError must be a function',
    ],
  ])('refuses %s', (_what, options, message) => {
    expect(() => enhancedErrorHandler(options as never)).toThrow(message);
  });
});
