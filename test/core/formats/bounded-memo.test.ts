import { BoundedMemo } from '../../../src/core/formats/bounded-memo';

// The memo behind the negotiator's Accept answers and the XML formatter's serialized texts and
// names: what it keeps is invisible over HTTP (the answers are the same either way), its bounds
// are not, in memory, so they are checked here.
describe('BoundedMemo', () => {
  it('keeps at most maxEntries answers, starting over when full', () => {
    const memo = new BoundedMemo<number>(3, 10);
    for (const [index, key] of ['a', 'b', 'c'].entries()) memo.set(key, index);
    expect(memo.size).toBe(3);
    expect(memo.get('c')).toBe(2);
    memo.set('d', 3);
    expect(memo.size).toBe(1);
    expect(memo.get('a')).toBeUndefined();
    expect(memo.get('d')).toBe(3);
  });

  it('keeps a key of exactly maxKeyLength and never a longer one', () => {
    const memo = new BoundedMemo<string>(3, 4);
    memo.set('abcd', 'kept');
    memo.set('abcde', 'too long');
    expect(memo.get('abcd')).toBe('kept');
    expect(memo.get('abcde')).toBeUndefined();
    expect(memo.size).toBe(1);
  });

  it('replaces the answer of a key it has, without counting it twice', () => {
    const memo = new BoundedMemo<number>(2, 10);
    memo.set('a', 1);
    memo.set('a', 2);
    memo.set('b', 3);
    expect(memo.size).toBe(2);
    expect(memo.get('a')).toBe(2);
  });
});
