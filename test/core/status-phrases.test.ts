import { STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';
import { isSafeHeader } from '../../src/core/header-safety';
import { STATUS_PHRASES } from '../../src/core/status-phrases';

describe("the core's own tables agree with Node's", () => {
  it('has the reason phrase of every status Node knows, and no other', () => {
    expect({ ...STATUS_PHRASES }).toEqual({ ...STATUS_CODES });
  });

  it("accepts exactly the header names and values Node's validators accept", () => {
    const nodeAccepts = (name: string, value: string): boolean => {
      try {
        validateHeaderName(name);
        validateHeaderValue(name, value);
        return true;
      } catch {
        return false;
      }
    };
    // Every character from U+0000 to U+0200, in a name and in a value.
    for (let code = 0; code <= 0x200; code++) {
      const char = String.fromCharCode(code);
      expect([code, isSafeHeader(`X-${char}`, 'v')]).toEqual([code, nodeAccepts(`X-${char}`, 'v')]);
      expect([code, isSafeHeader('X-A', `a${char}b`)]).toEqual([code, nodeAccepts('X-A', `a${char}b`)]);
    }
    expect(isSafeHeader('', 'v')).toBe(nodeAccepts('', 'v'));
    expect(isSafeHeader('X-A', '')).toBe(nodeAccepts('X-A', ''));
    expect(isSafeHeader('X-A', 'a\u{1F600}')).toBe(nodeAccepts('X-A', 'a\u{1F600}'));
  });
});
