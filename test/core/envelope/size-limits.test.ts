import type { RequestHandler } from 'express';
import createError from 'http-errors';
import request from 'supertest';
import { type EnhancedError, enhancedErrorHandler, type ErrorContext, passRegistry } from '../../../src';
import { DEFAULT_FIELD_LIMITS } from '../../../src/core/envelope/limits';
import { appWith, express5Only } from '../../support/apps';

const throwing =
  (make: () => unknown): RequestHandler =>
  () => {
    throw make();
  };

describe('field limits', () => {
  it('defaults to 1024 for message, 4096 for details and 2048 for helpUrl', () => {
    expect(DEFAULT_FIELD_LIMITS).toEqual({ message: 1024, details: 4096, helpUrl: 2048, fieldMessage: 256, fieldPath: 256 });
  });

  it.each([
    [{ message: 0 }, /limits\.message must be an integer from 1/],
    [{ details: -5 }, /limits\.details must be an integer from 1/],
    [{ message: 10.5 }, /limits\.message/],
    [{ details: '100' }, /limits\.details/],
    [{ helpUrl: 2049 }, /limits\.helpUrl must be an integer from 1 to 2048/],
    [{ title: 10 }, /limits: unknown field "title"/],
  ])('refuses %j at start-up', (limits, message) => {
    expect(() => enhancedErrorHandler({ limits: limits as never })).toThrow(message);
  });

  it.each([[null], ['message'], [5]])('refuses the limits option %j at start-up', (limits) => {
    expect(() => enhancedErrorHandler({ limits: limits as never })).toThrow(/^limits option must be an object$/);
  });

  it('takes the bounds themselves, and a limit left undefined keeps its default', () => {
    expect(() => enhancedErrorHandler({ limits: { message: 1, details: Number.MAX_SAFE_INTEGER, helpUrl: 2048 } })).not.toThrow();
    expect(() => enhancedErrorHandler({ limits: { message: Number.MAX_SAFE_INTEGER + 1 } })).toThrow(
      `limits.message must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}, got ${Number.MAX_SAFE_INTEGER + 1}`,
    );
    expect(() => enhancedErrorHandler({ limits: { message: undefined, details: 4097 } })).not.toThrow();
  });

  it('refuses at start-up a handler helpUrl longer than the helpUrl limit', () => {
    const helpUrl = 'https://help.example.com/a-rather-long-path';
    expect(() => enhancedErrorHandler({ helpUrl, limits: { helpUrl: 20 } })).toThrow(/at most 20 characters/);
    expect(() => enhancedErrorHandler({ helpUrl, limits: { helpUrl: helpUrl.length } })).not.toThrow();
  });
});

describe.each(express5Only)('%s: size limits', (_name, express) => {
  it('sends message and details up to the default limits unchanged', async () => {
    const message = 'm'.repeat(1024);
    const details = 'd'.repeat(4096);
    const app = appWith(express, { '/x': throwing(() => passRegistry.create('bad_request', { message, details })) });
    const res = await request(app).get('/x').expect(400);
    expect(res.body.message).toBe(message);
    expect(res.body.details).toBe(details);
  });

  it('cuts longer message and details to the default limits, ending with an ellipsis', async () => {
    const app = appWith(express, {
      '/x': throwing(() => passRegistry.create('bad_request', { message: 'm'.repeat(1025), details: 'd'.repeat(100_000) })),
    });
    const res = await request(app).get('/x').expect(400);
    expect(res.body.message).toBe(`${'m'.repeat(1023)}…`);
    expect(res.body.details).toBe(`${'d'.repeat(4095)}…`);
  });

  it('cuts at configured limits, in XML too, without splitting a surrogate pair', async () => {
    const app = appWith(
      express,
      { '/x': throwing(() => passRegistry.create('bad_request', { message: '0123456789abc', details: `${'a'.repeat(8)}😀tail` })) },
      { limits: { message: 10, details: 10 } },
    );
    const json = await request(app).get('/x').expect(400);
    expect(json.body.message).toBe('012345678…');
    expect(json.body.details).toBe(`${'a'.repeat(8)}…`);
    const xml = await request(app).get('/x').set('Accept', 'application/xml').expect(400);
    expect(xml.text).toContain('<message>012345678…</message>');
    expect(xml.text).toContain(`<details>${'a'.repeat(8)}…</details>`);
  });

  it('applies limits at their bounds, far past the helpUrl maximum for other fields, and the default for one left undefined', async () => {
    const long = 'l'.repeat(5000);
    const app = appWith(
      express,
      { '/x': throwing(() => passRegistry.create('bad_request', { message: 'two', details: long })) },
      { limits: { message: 1, details: 5000, fieldMessage: undefined } },
    );
    const res = await request(app).get('/x').expect(400);
    expect(res.body.message).toBe('…');
    expect(res.body.details).toBe(long);
  });

  // A cut that would end on a high surrogate (U+D800 to U+DBFF, the first half of a pair) steps
  // back one; a low surrogate or the code units just outside that range do not.
  it.each([
    ['\uD800\uDC00', 'aaaa…'],
    ['\uDBFF\uDFFF', 'aaaa…'],
    ['\uD7FF!', 'aaaa\uD7FF…'],
    ['\uDC00!', 'aaaa\uDC00…'],
    ['\uFFFD!', 'aaaa\uFFFD…'],
  ])('cuts %j after four letters as %j', async (tail, expected) => {
    const app = appWith(
      express,
      { '/x': throwing(() => passRegistry.create('bad_request', { message: `aaaa${tail}tail` })) },
      { limits: { message: 6 } },
    );
    const res = await request(app).get('/x').expect(400);
    expect(res.body.message).toBe(expected);
  });

  it('cuts the exposed message of a thrown 4xx (it becomes details)', async () => {
    const app = appWith(express, { '/x': throwing(() => createError(422, 'x'.repeat(50_000))) });
    const res = await request(app).get('/x').expect(422);
    expect(res.body.details).toHaveLength(DEFAULT_FIELD_LIMITS.details);
  });

  it("refuses a helpUrl over the limit and falls back to the handler's", async () => {
    const long = `https://help.example.com/${'p'.repeat(2048)}`;
    const fallback = 'https://help.example.com/';
    const app = appWith(express, { '/x': throwing(() => passRegistry.create('bad_request', { helpUrl: long })) }, { helpUrl: fallback });
    const res = await request(app).get('/x').expect(400);
    expect(res.body.helpUrl).toBe(fallback);

    const short = 'https://help.example.com/ok';
    const limited = appWith(
      express,
      { '/x': throwing(() => passRegistry.create('bad_request', { helpUrl: `${short}/but-too-long` })) },
      { limits: { helpUrl: short.length }, helpUrl: () => short },
    );
    const limitedRes = await request(limited).get('/x').expect(400);
    expect(limitedRes.body.helpUrl).toBe(short);
  });

  it.each([
    // The characters that take the most bytes in each format: `\u0001` in JSON, `&amp;` and `&#xD;` in XML.
    ['application/json', '\u0001'],
    ['application/xml', '&\r'],
  ])('keeps a %s body under 40 KiB whatever the fields hold', async (accept, widest) => {
    const app = appWith(express, {
      '/x': throwing(() =>
        passRegistry.create('bad_request', {
          message: widest.repeat(500_000),
          details: widest.repeat(500_000),
          helpUrl: `https://help.example.com/?${'&"'.repeat(1010)}`,
        }),
      ),
    });
    const res = await request(app).get('/x').set('Accept', accept).buffer(true).expect(400);
    const size = Number(res.headers['content-length']);
    expect(size).toBeLessThan(40 * 1024);
    // Close to the bound: every field was at its longest, so the bound is not loose.
    expect(size).toBeGreaterThan(30 * 1024);
  });

  it('reports the cut envelope to onError, with the full error', async () => {
    const reported: Array<{ error: EnhancedError; context: ErrorContext }> = [];
    const app = appWith(
      express,
      { '/x': throwing(() => passRegistry.create('bad_request', { details: 'z'.repeat(5000) })) },
      { onError: (error, context) => reported.push({ error, context }) },
    );
    await request(app).get('/x').expect(400);
    expect(reported[0]?.error.details).toHaveLength(5000);
    expect(reported[0]?.context.envelope.details).toHaveLength(DEFAULT_FIELD_LIMITS.details);
  });
});
