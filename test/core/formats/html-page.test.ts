/**
 * A browser that navigates to an API URL names text/html first in Accept: it
 * gets a small HTML error page, not the XML its `application/xml;q=0.9` would
 * otherwise win over `*\/*;q=0.8`. API clients keep exact q-value negotiation.
 */
import { createHash } from 'node:crypto';
import createError from 'http-errors';
import request from 'supertest';
import { createRegistry, type EnhancedErrorHandlerOptions, genericErrorCodes, passRegistry } from '../../../src';
import { PAGE_CSS, PAGE_CSS_SHA256 } from '../../../src/core/formats/html';
import { loadShedding } from '../../../src/overload';
import { appWith, type ExpressFactory, express5Only } from '../../support/apps';
import { type RawResponse, startServer } from '../../support/http-client';
import { readErrorResponse } from '../../support/wire-checks';

/** What Chromium and Firefox send when they navigate to a page. */
const BROWSERS = [
  [
    'Chromium',
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  ],
  ['Firefox', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
] as const;

const HOSTILE = `<script>alert("x")</script> & 'quoted' </dd></dl>`;
const SECRET = 'password=hunter2 at /srv/app/db.js';

const registry = createRegistry(
  {
    ...genericErrorCodes,
    ...passRegistry.definitions,
    odd_text: { status: 400, action: 'configuration', message: HOSTILE, helpUrl: 'https://docs.example.com/errors?a=1&b="2"#odd_text' },
  },
  { name: 'pageRegistry', helpUrl: 'https://docs.example.com/errors' },
);

function app(express: ExpressFactory, options: EnhancedErrorHandlerOptions = {}) {
  return appWith(
    express,
    {
      '/denied': () => {
        throw registry.create('authorization_denied_by_mvpd', { details: 'Your package does not include "Live".' });
      },
      '/limited': () => {
        throw registry.create('too_many_requests', { retryAfter: 30 });
      },
      '/hostile': () => {
        throw registry.create('odd_text', { details: HOSTILE });
      },
      '/crash': () => {
        throw new TypeError(SECRET);
      },
      '/gone': () => {
        throw createError(410);
      },
    },
    { registry, ...options },
  );
}

describe.each(express5Only)('%s', (_name, express) => {
  const server = app(express);

  describe.each(BROWSERS)("%s's navigation", (_browser, accept) => {
    it('gets an HTML page with the code, message, details, action and trace, same status and headers', async () => {
      const res = await request(server).get('/denied').set('Accept', accept).set('X-Request-Id', 'nav-1').expect(403);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers.vary).toBe('Accept');
      expect(res.headers['x-request-id']).toBe('nav-1');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text.startsWith('<!DOCTYPE html>')).toBe(true);
      const entry = registry.get('authorization_denied_by_mvpd');
      expect(res.text).toContain(`<title>403 authorization_denied_by_mvpd</title>`);
      expect(res.text).toContain(`<h1 data-field="message">${entry?.message.replace(/"/g, '&quot;')}</h1>`);
      expect(res.text).toContain('<p data-field="details">Your package does not include &quot;Live&quot;.</p>');
      expect(res.text).toContain('<code data-field="code">authorization_denied_by_mvpd</code>');
      expect(res.text).toContain('<span data-field="action">none</span>');
      expect(res.text).toMatch(/<code data-field="trace">[0-9a-f-]{36}<\/code>/);
      expect(res.text).toContain(`<a data-field="helpUrl" href="${entry?.helpUrl}">`);
    });

    it('keeps Retry-After', async () => {
      const res = await request(server).get('/limited').set('Accept', accept).expect(429);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['retry-after']).toBe('30');
      expect(res.text).toContain('<span data-field="action">retry-after</span>');
    });

    it('escapes every value', async () => {
      const res = await request(server).get('/hostile').set('Accept', accept).expect(400);
      expect(res.text).not.toContain('<script>');
      expect(res.text).not.toContain('</dd></dl> ');
      const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &lt;/dd&gt;&lt;/dl&gt;';
      expect(res.text).toContain(`<h1 data-field="message">${escaped}</h1>`);
      expect(res.text).toContain(`<p data-field="details">${escaped}</p>`);
      expect(res.text).toContain('href="https://docs.example.com/errors?a=1&amp;b=&quot;2&quot;#odd_text"');
    });

    it('reads back, with a strict parser, exactly the values the JSON carries', async () => {
      const raw = await startServer(server);
      try {
        const [page, json] = await Promise.all(
          [accept, 'application/json'].map((type) => raw.send({ path: '/hostile', headers: { accept: type } })),
        );
        const fromPage = readErrorResponse(page as RawResponse);
        const fromJson = readErrorResponse(json as RawResponse);
        expect(fromPage?.format).toBe('html');
        expect({ ...fromPage?.fields, trace: 'T' }).toEqual({ ...fromJson?.fields, trace: 'T' });
        expect(fromPage?.fields).toMatchObject({
          message: HOSTILE,
          details: HOSTILE,
          helpUrl: 'https://docs.example.com/errors?a=1&b="2"#odd_text',
        });
      } finally {
        await raw.close();
      }
    });

    it('shows nothing of a 5xx beyond the envelope', async () => {
      const res = await request(server).get('/crash').set('Accept', accept).expect(500);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('<code data-field="code">internal_error</code>');
      expect(res.text).not.toMatch(/hunter2|\/srv|TypeError/);
    });

    it('falls back to the normal negotiation with htmlPage: false', async () => {
      const res = await request(app(express, { htmlPage: false }))
        .get('/denied')
        .set('Accept', accept)
        .expect(403);
      expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    });

    it('gets the HTML page from the load shedder too', async () => {
      const shedding = loadShedding({ registry, log: false, maxHeapUsedBytes: false, sampler: () => ({ eventLoopDelayMs: 1000 }) });
      try {
        const shed = express();
        shed.use(shedding);
        const res = await request(shed).get('/').set('Accept', accept).expect(503);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(res.text).toContain('<code data-field="code">service_unavailable</code>');
      } finally {
        shedding.stop();
      }
    });
  });

  it.each([
    ['application/xml', 'application/xml; charset=utf-8'],
    ['application/xml, text/html;q=0.9', 'application/xml; charset=utf-8'],
    ['application/json, text/html', 'application/json; charset=utf-8'],
    ['text/html;q=0.5, application/json;q=0.8', 'application/json; charset=utf-8'],
    ['*/*', 'application/json; charset=utf-8'],
    ['text/*', 'application/xml; charset=utf-8'],
    ['application/xhtml+xml', 'application/json; charset=utf-8'],
    ['text/html', 'text/html; charset=utf-8'],
    ['text/html, application/json', 'text/html; charset=utf-8'],
    ['text/html;q=0.5, */*;q=0.1', 'text/html; charset=utf-8'],
  ])('negotiates Accept %p exactly: %s', async (accept, contentType) => {
    const res = await request(server).get('/gone').set('Accept', accept).expect(410);
    expect(res.headers['content-type']).toBe(contentType);
  });

  it('answers JSON without Accept', async () => {
    const res = await request(server).get('/gone').expect(410);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('the htmlPage option', () => {
  it.each(['yes', 1, null])('refuses %p at start-up', (htmlPage) => {
    expect(() => app(express5Only[0][1], { htmlPage } as unknown as EnhancedErrorHandlerOptions)).toThrow(
      'htmlPage option must be a boolean',
    );
  });
});

describe("the page's Content-Security-Policy", () => {
  it('allows the style by the SHA-256 of PAGE_CSS, written out in html.ts (edit both together)', () => {
    expect(PAGE_CSS_SHA256).toBe(createHash('sha256').update(PAGE_CSS).digest('base64'));
  });
});
