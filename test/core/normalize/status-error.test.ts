import createHttpError, { isHttpError } from 'http-errors';
import { statusError } from '../../../src/core/normalize/status-error';

// http-errors is the oracle: the core made its errors with it until it got statusError.

/** What normalize and an onError reader see of a status error. */
function view(error: Error): Record<string, unknown> {
  const { status, statusCode, expose, headers } = error as unknown as Record<string, unknown>;
  return { name: error.name, message: error.message, status, statusCode, expose, headers, hasCause: 'cause' in error, cause: error.cause };
}

const STATUSES = Array.from({ length: 200 }, (_, index) => 400 + index);

describe('statusError against http-errors', () => {
  it.each([
    ['a status alone', (status: number): [Error, Error] => [statusError(status), createHttpError(status)]],
    [
      'a message',
      (status: number): [Error, Error] => [statusError(status, 'The seat is taken.'), createHttpError(status, 'The seat is taken.')],
    ],
    [
      'a message, headers and a cause',
      (status: number): [Error, Error] => {
        const cause = new Error('thrown');
        const headers = { Allow: 'GET, HEAD', 'Retry-After': 3 };
        return [statusError(status, 'm', { headers, cause }), createHttpError(status, 'm', { headers, cause })];
      },
    ],
    [
      'a cause alone',
      (status: number): [Error, Error] => [statusError(status, undefined, { cause: 7 }), createHttpError(status, { cause: 7 })],
    ],
  ])('gives every 4xx/5xx status the error http-errors gives, from %s', (_case, make) => {
    for (const status of STATUSES) {
      const [ours, theirs] = make(status);
      expect({ status, ...view(ours) }).toEqual({ status, ...view(theirs) });
      expect(ours).toBeInstanceOf(Error);
      expect(isHttpError(ours)).toBe(true);
    }
  });

  it.each([200, 399, 600, 404.5, Number.NaN])('refuses status %p with a clear error', (status) => {
    expect(() => statusError(status)).toThrow(new TypeError(`statusError: status must be an integer from 400 to 599, got ${status}`));
  });
});
