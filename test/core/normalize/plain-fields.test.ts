import { passRegistry } from '../../../src/core/catalogs/pass-registry';
import { EnhancedError } from '../../../src/core/error/enhanced-error';
import { withPlainFields } from '../../../src/core/normalize/plain-fields';

/**
 * The core alone, as a runtime without Node's Proxy check runs it: this file
 * never loads src/adapters/node, which installs Node's check. What JavaScript
 * can tell by itself must keep every answer stable.
 */
describe('withPlainFields without a runtime Proxy check', () => {
  it('rebuilds a Proxy of an EnhancedError from one read (the constructor brand, not a Node check)', () => {
    const error = passRegistry.create('too_many_requests', { retryAfter: 7 });
    let reads = 0;
    const proxy = new Proxy(error, {
      get(target, key, receiver) {
        if (key === 'status' && ++reads > 1) throw new Error('second read');
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const plain = withPlainFields(proxy);
    expect(plain).not.toBe(proxy);
    expect(plain.cause).toBe(proxy);
    expect([plain.code, plain.status, plain.retryAfter, plain.entry]).toEqual(['too_many_requests', 429, 7, error.entry]);
    expect(() => plain.status).not.toThrow();
  });

  it('rebuilds an object made from the prototype, which the constructor never checked', () => {
    const made = Object.assign(Object.create(EnhancedError.prototype) as EnhancedError, {
      code: 'x_y',
      status: 400,
      action: 'none',
      message: 'M.',
    });
    const plain = withPlainFields(made);
    expect(plain).not.toBe(made);
    expect([plain.code, plain.status, plain.message]).toEqual(['x_y', 400, 'M.']);
  });

  it('keeps an error whose headers and entry are frozen data', () => {
    const error = passRegistry.create('bad_request', { headers: Object.freeze({ 'X-Frozen': 'yes' }) });
    expect(Object.isFrozen(error.entry)).toBe(true);
    expect(withPlainFields(error)).toBe(error);
    expect(withPlainFields(passRegistry.create('bad_request'))).toBeInstanceOf(EnhancedError);
  });

  it('copies unfrozen headers, a Proxy of them too, each read once, keeping the registry entry', () => {
    let reads = 0;
    const proxied = new Proxy<Record<string, string>>(
      { 'X-Proxied': 'yes' },
      {
        get(target, key, receiver) {
          if (key === 'X-Proxied') reads += 1;
          return Reflect.get(target, key, receiver) as unknown;
        },
      },
    );
    for (const headers of [{ 'X-Plain': 'yes' }, proxied]) {
      const error = passRegistry.create('bad_request', { headers });
      const plain = withPlainFields(error);
      expect(plain).not.toBe(error);
      expect(plain.cause).toBe(error);
      expect(plain.headers).not.toBe(headers);
      expect(plain.headers).toEqual({ ...headers });
      expect(Object.isFrozen(plain.entry)).toBe(true);
      expect(plain.entry).toBe(error.entry);
    }
    expect(reads).toBe(2); // one for the copy, one for the spread above
  });
});
