import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { expressVersions } from '../support/apps';
import { builtPackage } from '../support/built-package';

const root = resolve(__dirname, '..', '..');

type Package = typeof import('../../src');
type ItemsEntry = typeof import('../../src/items');

/**
 * Two copies of the built package loaded side by side, as when an app has two
 * versions of it (or a CommonJS and an ES module copy): each has its own
 * EnhancedError class, so `instanceof` cannot tell one copy's errors.
 * The copies live under node_modules so that they resolve the same dependencies.
 */
describe('an EnhancedError made by another copy of the package', () => {
  let dirs: string[] = [];
  let handlerCopy: Package;
  let routeCopy: Package;
  let handlerCopyItems: ItemsEntry;

  beforeAll(async () => {
    const dist = await builtPackage();
    const cache = join(root, 'node_modules', '.cache');
    await mkdir(cache, { recursive: true });
    dirs = await Promise.all([mkdtemp(join(cache, 'eee-copy-a-')), mkdtemp(join(cache, 'eee-copy-b-'))]);
    await Promise.all(dirs.map((dir) => cp(dist, dir, { recursive: true })));
    handlerCopy = require(join(dirs[0] as string, 'index.js')) as Package;
    routeCopy = require(join(dirs[1] as string, 'index.js')) as Package;
    handlerCopyItems = require(join(dirs[0] as string, 'items', 'index.js')) as ItemsEntry;
  }, 180_000);
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('is a different class, recognized by the brand', () => {
    const error = routeCopy.passRegistry.create('too_many_requests');
    expect(error instanceof handlerCopy.EnhancedError).toBe(false);
    expect(handlerCopy.isEnhancedError(error)).toBe(true);
    expect(handlerCopy.isEnhancedError(Object.assign(new Error('x'), { code: 'too_many_requests', status: 429 }))).toBe(false);
  });

  describe.each(expressVersions)('%s', (_name, express) => {
    it('keeps its code, message, details and Retry-After through the handler and sendItems', async () => {
      const { handler, sendItems } = handlerCopyItems.enhancedErrorHandlerWithItems({ log: false });
      const app = express();
      app.get('/top', () => {
        throw routeCopy.passRegistry.create('too_many_requests', { retryAfter: 5, details: 'Slow down.' });
      });
      app.get('/items', (req, res) => {
        sendItems(req, res, {
          collection: 'resources',
          items: [{ id: 'a', error: routeCopy.passRegistry.create('user_rate_limit_exceeded', { retryAfter: 9 }) }],
        });
      });
      app.use(handler);

      const top = await request(app).get('/top').expect(429);
      expect(top.headers['retry-after']).toBe('5');
      expect(top.body).toMatchObject({
        code: 'too_many_requests',
        action: 'retry-after',
        message: routeCopy.passRegistry.get('too_many_requests').message,
        details: 'Slow down.',
      });
      const items = await request(app).get('/items').expect(200);
      expect(items.headers['retry-after']).toBe('9');
      expect(items.body.resources[0].error).toMatchObject({ code: 'user_rate_limit_exceeded', status: 429, action: 'retry-after' });
    });
  });
});
