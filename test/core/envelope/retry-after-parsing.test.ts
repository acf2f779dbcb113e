import createHttpError from 'http-errors';
import request from 'supertest';
import { enhancedErrorHandler, passRegistry } from '../../../src';
import { express5Only } from '../../support/apps';

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
  // Sent as the seconds from now to it: 0 for a date that has passed.
  ['an HTTP-date', 'Wed, 21 Oct 2015 07:28:00 GMT', '0'],
  ['an HTTP-date with text after it', 'Wed, 21 Oct 2015 07:28:00 GMT+1', undefined],
  ['an HTTP-date with text before it', 'x Wed, 21 Oct 2015 07:28:00 GMT', undefined],
  ['a loose date', '2026-10-21T07:28:00Z', undefined],
];

describe.each(express5Only)('a thrown Retry-After header on %s', (_name, express) => {
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

// An error's retryAfter as the Retry-After header: a Date is the seconds from now to it, whatever
// its year; a value the constructor would refuse (on an error built without it, or changed
// after) gives the handler's default rather than a header no client can read.
const DEFAULT_SECONDS = 7;
const secondsUntil = (time: number) => (header: string | undefined) =>
  expect(Math.abs(Number(header) - (time - Date.now()) / 1000)).toBeLessThan(60);
const ownValues: [string, () => number | Date, (header: string | undefined) => void][] = [
  ['zero seconds', () => 0, (header) => expect(header).toBe('0')],
  ['a Date in year 0', () => new Date('0000-01-01T00:00:00Z'), (header) => expect(header).toBe('0')],
  ['a Date in year 9999', () => new Date('9999-12-31T23:59:59Z'), secondsUntil(Date.UTC(9999, 11, 31, 23, 59, 59))],
  ['a Date in year 10000', () => new Date('+010000-01-01T00:00:00Z'), secondsUntil(Date.UTC(10000, 0, 1))],
  ['an invalid Date', () => new Date(Number.NaN), (header) => expect(header).toBe(String(DEFAULT_SECONDS))],
  ['a negative number', () => -1, (header) => expect(header).toBe(String(DEFAULT_SECONDS))],
  ['a fraction', () => 2.5, (header) => expect(header).toBe(String(DEFAULT_SECONDS))],
];

describe.each(express5Only)("an error's own retryAfter on %s", (_name, express) => {
  const app = express();
  app.get('/:case', (req) => {
    const [, value] = ownValues[Number(req.params.case)] as (typeof ownValues)[number];
    const error = passRegistry.create('too_many_requests');
    // Changed after construction, past the constructor's check.
    Object.defineProperty(error, 'retryAfter', { value: value() });
    throw error;
  });
  app.use(enhancedErrorHandler({ log: false, retryAfter: DEFAULT_SECONDS }));

  it.each(ownValues.map(([label], index) => [label, index] as const))('%s', async (_label, index) => {
    const response = await request(app).get(`/${index}`);
    expect(response.status).toBe(429);
    (ownValues[index] as (typeof ownValues)[number])[2](response.headers['retry-after']);
  });
});
