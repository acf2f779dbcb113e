/**
 * notFoundHandler: a request no route answers gets the registry's 404 (or a
 * 405 with Allow when routes answer the path with other methods) from the
 * error handler, negotiated like every other error, never Express's
 * `Cannot GET /x` page.
 */
import request from 'supertest';
import { enhancedErrorHandler, type EnhancedErrorHandlerOptions, notFoundHandler, type NotFoundOptions } from '../../../src';
import { vimondRegistry } from '../../../src/core/catalogs';
import { type ExpressFactory, expressVersions } from '../../support/apps';
import { fields, parseXml } from '../../support/xml';

const CHROMIUM_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';

/** Routes at the top level and in a nested router, then notFoundHandler, then the error handler. */
function serviceApp(express: ExpressFactory, options: EnhancedErrorHandlerOptions = {}, notFound: NotFoundOptions = {}) {
  const app = express();
  app.get('/videos/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app
    .route('/playlists')
    .get((_req, res) => {
      res.json([]);
    })
    .post((_req, res) => {
      res.status(201).json({});
    });
  // Takes the request and passes it on: the path is routed for GET, the resource is missing.
  app.get('/maybe', (_req, _res, next) => {
    next();
  });
  const api = express.Router();
  api.put('/users/:id', (_req, res) => {
    res.status(204).end();
  });
  const admin = express.Router();
  admin.delete('/cache', (_req, res) => {
    res.status(204).end();
  });
  api.use('/admin', admin);
  app.use('/api', api);
  app.use(notFoundHandler(notFound));
  app.use(enhancedErrorHandler({ log: false, ...options }));
  return app;
}

describe.each(expressVersions)('%s', (_name, express) => {
  const app = serviceApp(express);

  it("answers an unknown path with the registry's 404, not Express's page", async () => {
    const res = await request(app).get('/nowhere').set('X-Request-Id', 'nf-1').expect(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-request-id']).toBe('nf-1');
    expect(res.headers.vary).toBe('Accept');
    expect(res.body).toMatchObject({ action: 'none', status: 404, code: 'not_found' });
    expect(res.text).not.toContain('Cannot GET');
  });

  it('negotiates like every other error: XML, and the HTML page for a browser', async () => {
    const xml = await request(app).get('/nowhere').set('Accept', 'application/xml').expect(404);
    expect(Object.fromEntries(fields(parseXml(xml.text).root))).toMatchObject({ code: 'not_found', status: '404' });
    const page = await request(app).get('/nowhere').set('Accept', CHROMIUM_ACCEPT).expect(404);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<code data-field="code">not_found</code>');
  });

  it("answers the registry's own code for 404", async () => {
    const res = await request(serviceApp(express, { registry: vimondRegistry }))
      .get('/nowhere')
      .expect(404);
    expect(res.body).toMatchObject({ status: 404, code: 'resource_not_found_1008' });
  });

  it.each([
    ['POST', '/videos/42', 'GET, HEAD'],
    ['DELETE', '/playlists', 'GET, POST, HEAD'],
    ['GET', '/api/users/7', 'PUT'],
    ['POST', '/api/admin/cache', 'DELETE'],
    ['PATCH', '/videos/42/', 'GET, HEAD'],
  ])('answers %s %s with 405 invalid_http_method and Allow: %s', async (method, path, allow) => {
    const res = await request(app)[method.toLowerCase() as 'post'](path).expect(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body).toMatchObject({ status: 405, code: 'invalid_http_method', details: `This resource answers ${allow}.` });
  });

  it('answers 404 when a route of the method took the request and passed it on', async () => {
    const res = await request(app).get('/maybe').expect(404);
    expect(res.body.code).toBe('not_found');
    expect(res.headers.allow).toBeUndefined();
  });

  it('answers 404 for a path only a prefix of a route matches, nested routers included', async () => {
    for (const path of ['/videos', '/videos/42/comments', '/api/users', '/apix/users/7', '/api/admin']) {
      const res = await request(app).post(path).expect(404);
      expect(res.headers.allow).toBeUndefined();
    }
  });

  it("leaves OPTIONS of a routed path to Express's own answer with Allow", async () => {
    const res = await request(app).options('/videos/42').expect(200);
    expect(res.headers.allow).toMatch(/^GET, ?HEAD$/);
    await request(app).options('/nowhere').expect(404);
  });

  it('answers 404 only with methodNotAllowed: false', async () => {
    const res = await request(serviceApp(express, {}, { methodNotAllowed: false }))
      .post('/videos/42')
      .expect(404);
    expect(res.headers.allow).toBeUndefined();
  });

  it('answers a path Express cannot decode without failing', async () => {
    const res = await request(app).post('/videos/%E0%A4%A');
    expect([400, 404, 405]).toContain(res.status);
    expect(res.body.status).toBe(res.status);
  });

  it("cannot see a mounted sub-app's routes from the app (404), but answers 405 when mounted in the sub-app too", async () => {
    const mountedApp = (withOwnHandler: boolean) => {
      const sub = express();
      sub.get('/things/:id', (_req, res) => {
        res.json({});
      });
      if (withOwnHandler) sub.use(notFoundHandler());
      const parent = express();
      parent.use('/v2', sub);
      parent.use(notFoundHandler());
      parent.use(enhancedErrorHandler({ log: false }));
      return parent;
    };
    expect((await request(mountedApp(false)).post('/v2/things/1').expect(404)).headers.allow).toBeUndefined();
    expect((await request(mountedApp(true)).post('/v2/things/1').expect(405)).headers.allow).toBe('GET, HEAD');
    expect((await request(mountedApp(true)).get('/v2/nothing').expect(404)).body.code).toBe('not_found');
  });

  it('leaves the router as it found it: later requests still get their params', async () => {
    await request(app).post('/videos/1').expect(405);
    const res = await request(app).get('/videos/2').expect(200);
    expect(res.body).toEqual({ id: '2' });
  });
});

describe('notFoundHandler options', () => {
  it.each([null, 'yes', { methodNotAllowed: 'no' }])('refuses %p at start-up', (options) => {
    expect(() => notFoundHandler(options as unknown as NotFoundOptions)).toThrow(/notFoundHandler: .* must be/);
  });
});
