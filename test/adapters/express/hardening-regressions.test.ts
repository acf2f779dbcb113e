/**
 * One test per defect the property-based tests found, named after it. Each
 * failed before its fix.
 */
import type { RequestHandler } from 'express';
import request from 'supertest';
import { EnhancedError, passRegistry } from '../../../src';
import { isHelpUrl } from '../../../src/core/registry/validate';
import { appWith, expressVersions } from '../../support/apps';
import { SPEC_HELP_URL } from '../../support/item-apps';
import { readErrorResponse } from '../../support/wire-checks';

/** Fetches one route and reads the body back with the strict checks of the property tests. */
async function fetchError(express: (typeof expressVersions)[number][1], route: RequestHandler, accept = 'application/json') {
  const app = appWith(express, { '/x': route });
  const res = await request(app)
    .get('/x')
    .set('Accept', accept)
    .buffer(true)
    .parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const raw = { status: res.status, headers: res.headers, rawHeaders: [] as string[], body: res.body as Buffer };
  return { res, read: readErrorResponse(raw) };
}

describe.each(expressVersions)('%s: defects found by fuzzing', (_name, express) => {
  it('xml: an ampersand that looks like a reference (&lt; &#0; &e;) reached the client unescaped', async () => {
    const details = 'a &lt;b&gt; c &#0; d &e; e &amp; f &#x41; &';
    const route: RequestHandler = () => {
      throw passRegistry.create('bad_request', { details, message: '&quot;quoted&quot;' });
    };
    const { read } = await fetchError(express, route, 'application/xml');
    expect(read?.format).toBe('xml');
    expect(read?.fields.details).toBe(details);
    expect(read?.fields.message).toBe('&quot;quoted&quot;');
  });

  it('retry-after: a Date whose year is not four digits made an invalid HTTP-date', async () => {
    const farFuture = new Date(Date.UTC(20000, 0, 1));
    const beforeYearZero = new Date(Date.UTC(-1, 0, 1));
    const routeFor =
      (retryAfter: Date): RequestHandler =>
      () => {
        throw passRegistry.create('too_many_requests', { retryAfter });
      };
    const future = await fetchError(express, routeFor(farFuture));
    const seconds = Number(future.res.headers['retry-after']);
    expect(future.res.headers['retry-after']).toMatch(/^\d+$/);
    expect(Math.abs(seconds - (farFuture.getTime() - Date.now()) / 1000)).toBeLessThan(60);
    const past = await fetchError(express, routeFor(beforeYearZero));
    expect(past.res.headers['retry-after']).toBe('0');
    const ordinary = await fetchError(express, routeFor(new Date(Date.UTC(2031, 4, 6, 7, 8, 9))));
    expect(ordinary.res.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('a fake EnhancedError with an empty message was trusted and sent an empty message', async () => {
    const fake = Object.assign(Object.create(EnhancedError.prototype) as object, {
      code: 'bad_request',
      status: 400,
      action: 'none',
      message: '',
    });
    const { res, read } = await fetchError(express, (_req, _res, next) => next(fake));
    expect(res.status).toBe(400);
    expect(read?.fields.message).toBe(passRegistry.get('bad_request').message);
  });

  it("an EnhancedError whose headers getter throws got Express's HTML error page", async () => {
    const route: RequestHandler = () => {
      const error = passRegistry.create('invalid_header');
      const headers = Object.defineProperty({ 'X-Kept': 'no' }, 'X-Broken', {
        enumerable: true,
        get() {
          throw new Error('secret from a getter');
        },
      });
      Object.defineProperty(error, 'headers', { value: headers });
      throw error;
    };
    const { res, read } = await fetchError(express, route);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.status).toBe(400);
    expect(read?.fields.code).toBe('invalid_header');
    expect(res.headers['x-kept']).toBeUndefined();
    expect(res.body.toString()).not.toContain('secret');
  });

  it("an EnhancedError that throws on a second read (accessor or Proxy) got Express's HTML error page", async () => {
    const withFlippingMessage: RequestHandler = () => {
      const error = passRegistry.create('invalid_parameter_value', { details: 'the id' });
      let reads = 0;
      Object.defineProperty(error, 'message', {
        get() {
          reads += 1;
          if (reads > 1) throw new Error('secret second read');
          return 'Read once.';
        },
      });
      throw error;
    };
    const first = await fetchError(express, withFlippingMessage);
    expect(first.res.status).toBe(400);
    expect(first.read?.fields).toMatchObject({ code: 'invalid_parameter_value', message: 'Read once.', details: 'the id' });

    const throughProxy: RequestHandler = () => {
      const error = passRegistry.create('too_many_requests', { retryAfter: 7 });
      let reads = 0;
      throw new Proxy(error, {
        get(target, key, receiver) {
          if (key === 'status' && ++reads > 1) throw new Error('secret second read');
          return Reflect.get(target, key, receiver);
        },
      });
    };
    const second = await fetchError(express, throughProxy);
    expect(second.res.status).toBe(429);
    expect(second.res.headers['retry-after']).toBe('7');
    expect(second.read?.fields.code).toBe('too_many_requests');
  });

  it("an error's oversized headers overflowed the client's header limit", async () => {
    const route: RequestHandler = () => {
      const headers: Record<string, string> = { 'X-Huge': 'h'.repeat(20_000), 'X-Small': 'kept' };
      for (let i = 0; i < 10; i += 1) headers[`X-Medium-${i}`] = 'm'.repeat(1000);
      throw passRegistry.create('bad_request', { headers });
    };
    const { res, read } = await fetchError(express, route);
    expect(read?.fields.code).toBe('bad_request');
    expect(res.headers['x-huge']).toBeUndefined();
    expect(res.headers['x-small']).toBe('kept');
    const medium = Object.keys(res.headers).filter((name) => name.startsWith('x-medium-'));
    expect(medium.length).toBeGreaterThan(0);
    expect(medium.length).toBeLessThan(10);
  });

  it("a revoked Proxy, or one whose getPrototypeOf trap throws, got Express's HTML error page", async () => {
    const revoked = (): unknown => {
      const { proxy, revoke } = Proxy.revocable(new Error('secret'), {});
      revoke();
      return proxy;
    };
    const trapping = (): unknown =>
      new Proxy(new Error('secret'), {
        getPrototypeOf() {
          throw new Error('secret from a trap');
        },
      });
    for (const make of [revoked, trapping]) {
      const { res, read } = await fetchError(express, (_req, _res, next) => next(make()));
      expect(res.status).toBe(500);
      expect(read?.fields.code).toBe('internal_error');
      expect(res.body.toString()).not.toContain('secret');
    }
  });

  it('helpUrl: a URL with a lone surrogate or U+FFFE was accepted and then altered in XML', async () => {
    for (const helpUrl of ['https://help.example.com/\uD800', 'https://help.example.com/\uDC00x', 'https://help.example.com/\uFFFE']) {
      expect(isHelpUrl(helpUrl)).toBe(false);
      const route: RequestHandler = () => {
        throw passRegistry.create('bad_request', { helpUrl });
      };
      for (const accept of ['application/json', 'application/xml']) {
        const { read } = await fetchError(express, route, accept);
        // Refused: the registry's page is sent instead.
        expect(read?.fields.helpUrl).toBe(SPEC_HELP_URL);
      }
    }
    expect(isHelpUrl('https://help.example.com/\uD83D\uDE00')).toBe(true);
  });
});
