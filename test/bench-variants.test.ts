import request from 'supertest';
import { VARIANTS, variantNamed } from '../bench/variants';
import { expressVersions } from './support/apps';
import { errorFields } from './support/strict-xml';

/**
 * The bench compares like with like only if each variant answers what it
 * claims: the handwritten routes must send the same envelope as the handler.
 */
describe.each(expressVersions)('%s: bench variants', (_name, express) => {
  async function answer(name: string) {
    const variant = variantNamed(name);
    const res = await request(variant.createApp(express)).get('/').set('Accept', variant.accept).buffer(true);
    const fields: Record<string, unknown> = variant.format === 'json' ? JSON.parse(res.text) : errorFields(res.text);
    return { res, fields, variant };
  }

  it.each(VARIANTS.map((variant) => [variant.name]))('%s answers its status in its format', async (name) => {
    const { res, variant } = await answer(name);
    expect(res.status).toBe(variant.expectedStatus);
    expect(res.headers['content-type']).toMatch(variant.format === 'json' ? /^application\/json/ : /xml/);
  });

  it.each([
    ['handwritten-json', 'handler-json'],
    ['handwritten-xml', 'handler-xml'],
    ['handwritten-json-thrown', 'handler-json'],
    ['handwritten-json', 'handler-json-prebuilt'],
  ])('%s sends the same envelope and Retry-After as %s', async (handwritten, handler) => {
    const mine = await answer(handwritten);
    const theirs = await answer(handler);
    const { trace: myTrace, ...myFields } = mine.fields;
    const { trace: theirTrace, ...theirFields } = theirs.fields;
    expect(myFields).toEqual(theirFields);
    expect(Object.keys(mine.fields)).toEqual(Object.keys(theirs.fields));
    expect(myTrace).toMatch(/^[0-9a-f-]{36}$/);
    expect(theirTrace).toMatch(/^[0-9a-f-]{36}$/);
    expect(mine.res.headers['retry-after']).toBe('30');
    expect(theirs.res.headers['retry-after']).toBe('30');
  });

  it('handwritten-items-json sends the same item response as items-json', async () => {
    const mine = await answer('handwritten-items-json');
    const theirs = await answer('items-json');
    const withoutTraces = (body: unknown) => JSON.parse(JSON.stringify(body, (key, value) => (key === 'trace' ? undefined : value)));
    expect(withoutTraces(mine.fields)).toEqual(withoutTraces(theirs.fields));
    const failed = (theirs.fields.resources as { error?: { code: string } }[]).filter((item) => item.error !== undefined);
    expect(failed.map((item) => item.error?.code)).toEqual(Array(3).fill('authorization_denied_by_mvpd'));
  });

  it('handler-json-prebuilt still gives every response its own trace and request id', async () => {
    const first = await answer('handler-json-prebuilt');
    const second = await answer('handler-json-prebuilt');
    expect(first.fields.trace).not.toBe(second.fields.trace);
    expect(first.res.headers['x-request-id']).not.toBe(second.res.headers['x-request-id']);
  });

  it('handler-500 redacts the TypeError', async () => {
    const { res, fields } = await answer('handler-500');
    expect(fields).toMatchObject({ status: 500, code: 'internal_error' });
    expect(res.text).not.toMatch(/TypeError|reading 'id'/);
  });

  it('strong-error-handler variants answer the thrown 429', async () => {
    const json = await answer('strong-json');
    expect(json.fields).toMatchObject({ error: { statusCode: 429 } });
    const xml = await answer('strong-xml');
    expect(xml.fields).toMatchObject({ statusCode: '429' });
  });
});
