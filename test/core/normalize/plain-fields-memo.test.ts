import type { RequestHandler } from 'express';
import request from 'supertest';
import { createRegistry, passRegistry } from '../../../src';
import { appWith, express5Only } from '../../support/apps';

/**
 * normalize remembers the frozen objects (registry entries, frozen headers)
 * it has found to be plain data. What it remembers must never let through an
 * object it would refuse, on the first request or on any later one.
 */
describe.each(express5Only)('%s: frozen fields checked once', (_name, express) => {
  it('frozen headers with a throwing getter are dropped on every request', async () => {
    const headers = Object.freeze(
      Object.defineProperty({ 'X-Kept': 'no' }, 'X-Broken', {
        enumerable: true,
        get() {
          throw new Error('secret from a getter');
        },
      }),
    );
    const route: RequestHandler = () => {
      throw passRegistry.create('invalid_header', { headers });
    };
    const app = appWith(express, { '/x': route });
    for (let round = 0; round < 3; round++) {
      const res = await request(app).get('/x').expect(400);
      expect(res.body.code).toBe('invalid_header');
      expect(res.headers['x-kept']).toBeUndefined();
      expect(res.text).not.toContain('secret');
    }
  });

  it('frozen plain headers are sent on every request', async () => {
    const headers = Object.freeze({ 'X-Rate-Limit-Reset': '30' });
    const app = appWith(express, {
      '/x': () => {
        throw passRegistry.create('too_many_requests', { headers });
      },
    });
    for (let round = 0; round < 3; round++) {
      const res = await request(app).get('/x').expect(429);
      expect(res.headers['x-rate-limit-reset']).toBe('30');
    }
  });

  it("a registry entry's defaults apply on every request", async () => {
    const registry = createRegistry(
      { slow_down: { status: 429, action: 'retry-after', message: 'Slow down.', retryAfter: 17, helpUrl: 'https://example.com/slow' } },
      { name: 'bench' },
    );
    const app = appWith(
      express,
      {
        '/x': () => {
          throw registry.create('slow_down');
        },
      },
      { strictCodes: 'keep' },
    );
    for (let round = 0; round < 3; round++) {
      const res = await request(app).get('/x').expect(429);
      expect(res.headers['retry-after']).toBe('17');
      expect(res.body).toMatchObject({ code: 'slow_down', helpUrl: 'https://example.com/slow' });
    }
  });
});
