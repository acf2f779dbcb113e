/**
 * Answers worth keeping, keyed by strings that may come from requests or
 * data: bounded in entries and in key length, so that keys which all differ
 * cannot grow the heap. Full, it starts over, which costs less than tracking
 * use, and the keys that repeat come back at once.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    readonly maxEntries: number,
    readonly maxKeyLength: number,
  ) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Keeps the answer unless the key is too long to be worth it. */
  set(key: string, value: V): void {
    if (key.length > this.maxKeyLength) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
