import request from 'supertest';
import { mountPreauthorize } from '../../examples/preauthorize';
import { enhancedErrorHandlerWithItems, planRetry } from '../../src/items';
import { express5Only } from '../support/apps';

describe.each(express5Only)('%s: the example POST /preauthorize', (_name, express) => {
  const errors = enhancedErrorHandlerWithItems({ log: false, maxItems: 10 });
  const app = express();
  app.use(express.json());
  mountPreauthorize(app, errors);
  app.use(errors.handler);

  const resources = ['TestStream1', 'TestStream2', 'SlowStream', 'BusyStream', 'BrokenStream', 42];

  it('answers 200 with mixed decisions, Retry-After and a list worth resending', async () => {
    const res = await request(app).post('/preauthorize').send({ resources }).expect(200);
    const items = res.body.resources as { id: string; authorized: boolean; error?: { code: string; status: number } }[];
    expect(items.map(({ id, authorized, error }) => [id, authorized, error?.code, error?.status])).toEqual([
      ['TestStream1', true, undefined, undefined],
      ['TestStream2', false, 'preauthorization_denied_by_mvpd', 403],
      ['SlowStream', false, 'network_connection_timeout', 403],
      ['BusyStream', false, 'user_rate_limit_exceeded', 429],
      ['BrokenStream', false, 'internal_error', 500],
      ['42', false, 'invalid_resource_value', 400],
    ]);
    expect(res.text).not.toContain('abc123');
    expect(res.headers['retry-after']).toBe('30');
    const plan = planRetry(items, { retryAfter: Number(res.headers['retry-after']) });
    expect(plan).toEqual({ items: [items[2], items[3]], retryAfter: 30 });
  });

  it('answers in XML when asked', async () => {
    const res = await request(app).post('/preauthorize').set('Accept', 'application/xml').send({ resources }).expect(200);
    expect(res.text).toMatch(/^<\?xml[^>]*\?><resources><item><id>TestStream1<\/id><authorized>true<\/authorized><\/item>/);
  });

  it('answers a wrong list with a top-level error', async () => {
    const notAList = await request(app).post('/preauthorize').send({ resources: 'TestStream1' }).expect(400);
    expect(notAList.body.code).toBe('bad_request');
    const tooMany = await request(app)
      .post('/preauthorize')
      .send({ resources: Array.from({ length: 11 }, (_, i) => `r${i}`) })
      .expect(403);
    expect(tooMany.body.code).toBe('too_many_resources');
  });
});
