// The size bound shared by the in-process caches: a cache must never grow with the data.

/** A Map that forgets its least recently used entries beyond `limit`. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(
    private readonly limit: number,
    /** Told of every entry that leaves, forgotten or deleted (not of one replaced by `set`). */
    private readonly onLeave: (value: V) => void = () => {},
  ) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    // Re-inserting moves the key to the end of the Map's order: the oldest is always first.
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    const replaced = this.map.get(key);
    this.map.delete(key);
    if (replaced !== undefined && replaced !== value) this.onLeave(replaced);
    if (this.map.size >= this.limit) this.deleteOldest();
    this.map.set(key, value);
  }

  delete(key: K): void {
    const value = this.map.get(key);
    if (value === undefined) return;
    this.map.delete(key);
    this.onLeave(value);
  }

  /** Forgets the least recently used entry; false when there is none. */
  deleteOldest(): boolean {
    const oldest = this.map.keys().next();
    if (oldest.done) return false;
    this.delete(oldest.value);
    return true;
  }

  get size(): number {
    return this.map.size;
  }
}
