import { getRequestListener } from '@hono/node-server';
import { sValidator } from '@hono/standard-validator';
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { HTTPException } from 'hono/http-exception';
import * as v from 'valibot';
import { z } from 'zod';
import { createJsonFormatter, xmlFormatter } from '../../../src/core/formats';
import { enhancedErrorHandler, notFoundHandler, throwValidationError } from '../../../src/adapters/hono';
import { startServer, type TestServer } from '../../support/http-client';

describe('the Hono adapter over real HTTP (Hono on @hono/node-server)', () => {
  let server: TestServer;
  const options = { log: false, formatters: [createJsonFormatter({ fieldErrors: true }), xmlFormatter], generateTrace: () => 'trace-h' };

  beforeAll(async () => {
    const app = new Hono();
    app.use('/private/*', basicAuth({ username: 'user', password: 'secret' }));
    app.get('/private/data', (c) => c.text('data'));
    app.get('/forbidden', () => {
      throw new HTTPException(403, { message: 'This order belongs to another account.' });
    });
    app.get('/unavailable', () => {
      throw new HTTPException(503, { message: 'pool exhausted on db-7' });
    });
    app.get('/type-error', () => {
      throw new TypeError('cannot read x of undefined');
    });
    app.post(
      '/orders',
      zValidator('json', z.object({ name: z.string(), lines: z.array(z.object({ qty: z.number() })) }), throwValidationError),
      (c) => c.json(c.req.valid('json')),
    );
    app.get('/search', sValidator('query', v.object({ limit: v.pipe(v.string(), v.regex(/^\d+$/)) }), throwValidationError), (c) =>
      c.json(c.req.valid('query')),
    );
    app.onError(enhancedErrorHandler(options));
    app.notFound(notFoundHandler(options));
    server = await startServer(getRequestListener(app.fetch));
  });
  afterAll(() => server.close());

  const json = (body: Buffer) => JSON.parse(body.toString()) as Record<string, unknown>;

  it('answers basicAuth’s HTTPException with the registry’s 401 and keeps its WWW-Authenticate', async () => {
    const response = await server.send({ path: '/private/data' });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="Secure Area"');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json(response.body)).toMatchObject({ status: 401, trace: 'trace-h' });
  });

  it('shows a 4xx HTTPException’s message as details, as Hono would send it', async () => {
    const response = await server.send({ path: '/forbidden' });
    expect(response.status).toBe(403);
    expect(json(response.body)).toMatchObject({ status: 403, details: 'This order belongs to another account.' });
  });

  it('never shows a 5xx HTTPException’s message', async () => {
    const response = await server.send({ path: '/unavailable' });
    expect(response.status).toBe(503);
    expect(response.body.toString()).not.toContain('db-7');
  });

  it('redacts anything else thrown as the registry’s 500', async () => {
    const response = await server.send({ path: '/type-error' });
    expect(response.status).toBe(500);
    expect(json(response.body)).toMatchObject({ code: 'internal_error' });
    expect(response.body.toString()).not.toContain('undefined');
  });

  it('answers a zValidator failure thrown by throwValidationError with field errors', async () => {
    const response = await server.send({
      method: 'POST',
      path: '/orders',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 7, lines: [{ qty: 'two' }] }),
    });
    expect(response.status).toBe(400);
    const body = json(response.body);
    expect(body).toMatchObject({ status: 400 });
    expect(body.fields).toEqual([
      expect.objectContaining({ pointer: '/name', code: 'invalid_type' }),
      expect.objectContaining({ pointer: '/lines/0/qty', code: 'invalid_type' }),
    ]);
  });

  it('answers an sValidator (valibot) failure with field errors where the field is: the query', async () => {
    const response = await server.send({ path: '/search?limit=ten' });
    expect(response.status).toBe(400);
    expect(json(response.body).fields).toEqual([expect.objectContaining({ path: 'query.limit' })]);
    expect(response.body.toString()).not.toContain('ten');
  });

  it('answers a malformed JSON body with a 400, not a 500', async () => {
    const response = await server.send({
      method: 'POST',
      path: '/orders',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(response.status).toBe(400);
  });

  it('answers an unknown route with the registry’s 404, negotiated', async () => {
    const response = await server.send({ path: '/nowhere', headers: { accept: 'application/xml' } });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(response.body.toString()).toContain('<status>404</status>');
  });
});
