import express from 'express';
import request from 'supertest';
import { createApp, registry } from '../../examples/app';
import { parseXml, fields } from '../support/xml';

const publicUrl = 'http://localhost:3000';
const app = createApp({ publicUrl, log: false });

describe('the example service (npm start)', () => {
  it('denies the live channel with details and a helpUrl into its own catalog', async () => {
    const res = await request(app).get('/channels/live/authorize?user=u1').expect(403);
    expect({ ...res.body, trace: 'T' }).toEqual({
      action: 'none',
      status: 403,
      code: 'authorization_denied_by_mvpd',
      message: registry.get('authorization_denied_by_mvpd')?.message,
      details: 'Your subscription package does not include the "Live" channel',
      helpUrl: `${publicUrl}/errors#authorization_denied_by_mvpd`,
      trace: 'T',
    });
    const page = await request(app).get('/errors').expect(200);
    expect(page.text).toContain('id="authorization_denied_by_mvpd"');
  });

  it('answers the same in XML', async () => {
    const res = await request(app).get('/channels/live/authorize?user=u1').set('Accept', 'application/xml').expect(403);
    const { root } = parseXml(res.text);
    expect(fields(root).map(([name]) => name)).toEqual(['action', 'status', 'code', 'message', 'details', 'helpUrl', 'trace']);
  });

  it('links French messages to the French catalog page', async () => {
    const limited = createApp({ publicUrl, log: false });
    await request(limited).get('/channels/news/stream').expect(200);
    await request(limited).get('/channels/news/stream').expect(200);
    const res = await request(limited).get('/channels/news/stream').set('Accept-Language', 'fr').expect(429);
    expect(res.headers['content-language']).toBe('fr');
    expect(res.body.helpUrl).toBe(`${publicUrl}/errors?lang=fr#too_many_requests`);
  });

  it('rate-limits streams with express-rate-limit: Retry-After until the window resets, beside its RateLimit headers', async () => {
    const limited = createApp({ publicUrl, log: false });
    expect((await request(limited).get('/channels/news/stream').expect(200)).body).toEqual({ channel: 'news', stream: '/live/news.m3u8' });
    await request(limited).get('/channels/sports/stream').expect(200);
    const res = await request(limited).get('/channels/news/stream').expect(429);
    expect(res.body).toMatchObject({ action: 'retry-after', code: 'too_many_requests', status: 429 });
    const reset = Number(/t=(\d+)/.exec(String(res.headers.ratelimit))?.[1]);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(reset);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect(res.headers['ratelimit-policy']).toMatch(/q=2; w=30/);
  });

  it('answers its own code, and asks for authentication', async () => {
    expect((await request(app).get('/channels/cartoons/authorize?user=u1').expect(404)).body).toMatchObject({
      code: 'channel_not_found',
      details: 'No channel named "cartoons".',
    });
    expect((await request(app).get('/channels/news/authorize').expect(401)).body.action).toBe('authentication');
    expect((await request(app).get('/channels/news/authorize?user=u1').expect(200)).body).toEqual({ channel: 'news', authorized: true });
  });

  it('redacts a crash and falls through to a 404 whose code is on the catalog page', async () => {
    const crash = await request(app).get('/crash').expect(500);
    expect(crash.body).toMatchObject({ code: 'internal_error' });
    expect(crash.text).not.toContain('token');
    const missing = await request(app).get('/nowhere').expect(404);
    expect(missing.body).toMatchObject({ code: 'not_found', status: 404 });
    // not_found is a registry code now, so its helpUrl points at its row of the catalog page.
    expect(missing.body.helpUrl).toMatch(/\/errors#not_found$/);
  });

  it('answers a method the route does not take with 405 and Allow', async () => {
    const res = await request(app).delete('/channels/news/authorize').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.body).toMatchObject({ code: 'invalid_http_method', status: 405 });
  });

  it('keeps the request id and trace from the request-context middleware', async () => {
    // Every trace set on res.locals (the middleware's, and any the handler would set after it).
    let traces: unknown[] = [];
    const outer = express();
    outer.use((_req, res, next) => {
      let trace: unknown;
      Object.defineProperty(res.locals, 'trace', {
        enumerable: true,
        get: () => trace,
        set: (value: unknown) => {
          traces.push(value);
          trace = value;
        },
      });
      next();
    });
    outer.use(app);
    for (const [path, status] of [
      ['/crash', 500],
      ['/channels/live/authorize?user=u1', 403],
    ] as const) {
      traces = [];
      const res = await request(outer).get(path).set('X-Request-Id', 'abc-123').expect(status);
      expect(res.headers['x-request-id']).toBe('abc-123');
      expect(res.body.trace).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(traces[0]).toBe(res.body.trace);
      expect(new Set(traces)).toEqual(new Set([res.body.trace]));
    }
  });

  it('validates profiles with zod: the fields are listed, the values sent never echoed', async () => {
    const sent = 'EVIL-4d2e81';
    const res = await request(app)
      .post('/profiles')
      .send({ user: 'x', channels: [sent], notify: sent })
      .expect(400);
    expect({ ...res.body, trace: 'T' }).toEqual({
      action: 'none',
      status: 400,
      code: 'invalid_parameter_value',
      message: registry.get('invalid_parameter_value')?.message,
      details: 'Invalid fields: user, channels/0, notify.',
      helpUrl: `${publicUrl}/errors#invalid_parameter_value`,
      trace: 'T',
      fields: [
        { pointer: '/user', message: expect.any(String), code: 'too_small' },
        { pointer: '/channels/0', message: expect.any(String), code: 'invalid_value' },
        { pointer: '/notify', message: expect.any(String), code: 'invalid_type' },
      ],
    });
    const xml = await request(app).post('/profiles').set('Accept', 'application/xml').send({ user: sent, channels: [] }).expect(400);
    const { root } = parseXml(xml.text);
    expect(fields(root).map(([name]) => name)).toEqual(['action', 'status', 'code', 'message', 'details', 'helpUrl', 'trace', 'fields']);
    for (const answer of [res, xml]) expect(answer.text).not.toContain(sent);
    const created = await request(app)
      .post('/profiles')
      .send({ user: 'u100', channels: ['news'] })
      .expect(201);
    expect(created.body).toEqual({ user: 'u100', channels: ['news'] });
  });
});
