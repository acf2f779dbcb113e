import createHttpError from 'http-errors';
import request from 'supertest';
import { enhancedErrorHandler } from '../src';
import { expressVersions } from './support/apps';

// What a thrown error's own Retry-After header becomes: only delay-seconds or a strict HTTP-date
// are kept; anything near them is dropped rather than guessed at (found by mutation testing).
const cases: [string, string | number, string | undefined][] = [
  ['delay-seconds', '12', '12'],
  ['delay-seconds with spaces around', ' 12 ', '12'],
  ['digits then text', '12abc', undefined],
  ['text then digits', 'abc12', undefined],
  ['eleven digits', '12345678901', undefined],
  ['a number', 5, '5'],
  ['zero', 0, '0'],
  ['a negative number', -1, undefined],
  ['a fraction', 1.5, undefined],
  ['an HTTP-date', 'Wed, 21 Oct 2026 07:28:00 GMT', 'Wed, 21 Oct 2026 07:28:00 GMT'],
  ['an HTTP-date with text after it', 'Wed, 21 Oct 2026 07:28:00 GMT+1', undefined],
  ['an HTTP-date with text before it', 'x Wed, 21 Oct 2026 07:28:00 GMT', undefined],
  ['a loose date', '2026-10-21T07:28:00Z', undefined],
];

describe.each(expressVersions)('a thrown Retry-After header on %s', (_name, express) => {
  const app = express();
  app.get('/:case', (req) => {
    const [, value] = cases[Number(req.params.case)] as (typeof cases)[number];
    throw createHttpError(503, 'busy', { headers: { 'Retry-After': value } });
  });
  app.use(enhancedErrorHandler({ log: false }));

  it.each(cases.map((each, index) => [...each, index] as const))('%s (%p) → %p', async (_label, _value, expected, index) => {
    const response = await request(app).get(`/${index}`);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe(expected);
  });
});
