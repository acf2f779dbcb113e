import type { RequestHandler } from 'express';
import request from 'supertest';
import { type Formatter, passRegistry } from '../../../src';
import { jsonFormatter, problemJsonFormatter, problemXmlFormatter, vimondFormatter, xmlFormatter } from '../../../src/core/formats';
import { appWith, express5Only } from '../../support/apps';
import { xmlObject } from '../../support/xml';

const textFormatter: Formatter = {
  mediaTypes: ['text/plain'],
  contentType: 'text/plain; charset=utf-8',
  formatError: (envelope) => `${envelope.status} ${envelope.code}: ${envelope.message}\n`,
};

/** Each format, how to ask for it, and how to read the code it sent. */
const formats: ReadonlyArray<readonly [string, readonly Formatter[], string, (text: string) => string | undefined]> = [
  ['json', [jsonFormatter], 'application/json', (text) => JSON.parse(text).code],
  ['xml', [jsonFormatter, xmlFormatter], 'application/xml', (text) => xmlObject(text).error?.code],
  ['problem+json', [jsonFormatter, problemJsonFormatter], 'application/problem+json', (text) => JSON.parse(text).code],
  ['problem+xml', [jsonFormatter, problemXmlFormatter], 'application/problem+xml', (text) => xmlObject(text).problem?.code],
  ['vimond', [vimondFormatter], 'application/json', (text) => JSON.parse(text).errors[0].title.toLowerCase()],
  ['custom text', [jsonFormatter, textFormatter], 'text/plain', (text) => /^\d{3} ([a-z_]+):/.exec(text)?.[1]],
];

const SECRET = 'S3CRET-db-password';

const routes: Record<string, RequestHandler> = {
  '/plain-error': () => {
    throw new Error(SECRET);
  },
  '/status-error': () => {
    throw Object.assign(new Error(SECRET), {
      status: 503,
      expose: true,
      details: SECRET,
      headers: { 'X-Internal': SECRET },
      code: 'S3CRET_code',
    });
  },
  '/thrown-string': () => {
    throw SECRET;
  },
  '/group-with-secret': () => {
    throw new AggregateError([passRegistry.create('bad_request'), Object.assign(new Error(SECRET), { status: 500 })]);
  },
  '/retry': () => {
    throw passRegistry.create('too_many_requests');
  },
  '/retry-own': () => {
    throw passRegistry.create('user_rate_limit_exceeded', { retryAfter: 7 });
  },
  '/no-retry': () => {
    throw passRegistry.create('network_connection_timeout');
  },
};

describe.each(express5Only)('%s', (_name, express) => {
  describe.each(formats)('the %s format', (format, formatters, accept, readCode) => {
    // Vimond's format sends only pairs of Vimond's table: a Pass code is its UNKNOWN.
    const codeOf = (text: string) =>
      format === 'vimond' ? (readCode(text) === 'unknown' ? 'a Pass code' : readCode(text)) : readCode(text);
    const sent = (code: string) => (format === 'vimond' ? 'a Pass code' : code);
    const app = appWith(express, routes, { formatters, defaultType: formatters[0]?.mediaTypes[0] ?? 'application/json' });
    const get = (path: string) => request(app).get(path).set('Accept', accept);

    it.each([
      ['/plain-error', 500, 'internal_error'],
      ['/status-error', 503, 'service_unavailable'],
      ['/thrown-string', 500, 'internal_error'],
      ['/group-with-secret', 500, 'internal_error'],
    ])('redacts the server error of %s', async (path, status, code) => {
      const res = await get(path).expect(status);
      expect(res.headers['content-type']).toBe(formatters.find((f) => f.mediaTypes.includes(accept))?.contentType);
      expect(codeOf(res.text)).toBe(sent(code));
      expect(res.text).not.toContain(SECRET);
      expect(res.text).not.toContain('S3CRET');
      expect(res.text).not.toContain('format-rules.test'); // a stack frame
      expect(JSON.stringify(res.headers)).not.toContain('S3CRET');
      expect(res.headers['x-internal']).toBeUndefined();
    });

    it('sends Retry-After for a retry-after action: the default, or the error’s own', async () => {
      const byDefault = await get('/retry').expect(429);
      expect(codeOf(byDefault.text)).toBe(sent('too_many_requests'));
      expect(byDefault.headers['retry-after']).toBe('60');
      const own = await get('/retry-own').expect(429);
      expect(own.headers['retry-after']).toBe('7');
      const none = await get('/no-retry').expect(403);
      expect(codeOf(none.text)).toBe(sent('network_connection_timeout'));
      expect(none.headers['retry-after']).toBeUndefined();
    });
  });
});
