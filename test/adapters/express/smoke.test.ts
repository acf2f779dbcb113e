import request from 'supertest';
import { passRegistry } from '../../../src';
import { appWith, expressVersions } from '../../support/apps';

describe.each(expressVersions)('%s', (_name, express) => {
  it('answers a thrown registry error', async () => {
    const app = appWith(express, {
      '/x': () => {
        throw passRegistry.create('bad_request');
      },
    });
    const res = await request(app).get('/x').expect(400);
    expect(res.body.code).toBe('bad_request');
  });
});
