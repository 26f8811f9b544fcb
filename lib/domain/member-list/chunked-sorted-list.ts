// A sorted sequence kept as a list of small sorted chunks, so that a large server's member list
// costs O(√n)-ish per change instead of moving every row: finding a value is a binary search
// over chunks then inside one; an insert or delete moves at most one chunk's entries; the
// position of a value adds up the sizes of the chunks before it (a few hundred numbers for
// 100,000 members).

const MAX_CHUNK = 512;

export class ChunkedSortedList<T> {
  private chunks: T[][] = [];
  private count = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** Builds from values in any order. */
  static of<T>(values: T[], compare: (a: T, b: T) => number): ChunkedSortedList<T> {
    const list = new ChunkedSortedList(compare);
    const sorted = [...values].sort(compare);
    for (let i = 0; i < sorted.length; i += MAX_CHUNK / 2) list.chunks.push(sorted.slice(i, i + MAX_CHUNK / 2));
    list.count = sorted.length;
    return list;
  }

  get size(): number {
    return this.count;
  }

  /** Inserts a value that is not in the list; returns its position. */
  insert(value: T): number {
    if (this.chunks.length === 0) {
      this.chunks.push([value]);
      this.count = 1;
      return 0;
    }
    const c = this.chunkFor(value);
    const chunk = this.chunks[c]!;
    const at = this.lowerBound(chunk, value);
    chunk.splice(at, 0, value);
    this.count++;
    const position = this.offsetOf(c) + at;
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c, 1, chunk.slice(0, MAX_CHUNK / 2), chunk.slice(MAX_CHUNK / 2));
    return position;
  }

  /** Removes the value that compares equal to `value`; returns its former position, or -1. */
  remove(value: T): number {
    const found = this.find(value);
    if (found === undefined) return -1;
    const chunk = this.chunks[found.chunk]!;
    chunk.splice(found.at, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(found.chunk, 1);
    return found.position;
  }

  /** Puts `value` in the place of the entry that compares equal to it; returns the position, or -1. */
  replace(value: T): number {
    const found = this.find(value);
    if (found === undefined) return -1;
    this.chunks[found.chunk]![found.at] = value;
    return found.position;
  }

  indexOf(value: T): number {
    return this.find(value)?.position ?? -1;
  }

  at(position: number): T | undefined {
    if (position < 0 || position >= this.count) return undefined;
    let rest = position;
    for (const chunk of this.chunks) {
      if (rest < chunk.length) return chunk[rest];
      rest -= chunk.length;
    }
    return undefined;
  }

  /** Values at positions start..end (inclusive, clipped to the list). */
  slice(start: number, end: number): T[] {
    const out: T[] = [];
    let offset = 0;
    for (const chunk of this.chunks) {
      if (offset > end) break;
      const from = Math.max(start - offset, 0);
      const to = Math.min(end - offset, chunk.length - 1);
      for (let i = from; i <= to; i++) out.push(chunk[i]!);
      offset += chunk.length;
    }
    return out;
  }

  private find(value: T): { chunk: number; at: number; position: number } | undefined {
    if (this.chunks.length === 0) return undefined;
    const c = this.chunkFor(value);
    const chunk = this.chunks[c]!;
    const at = this.lowerBound(chunk, value);
    if (at >= chunk.length || this.compare(chunk[at]!, value) !== 0) return undefined;
    return { chunk: c, at, position: this.offsetOf(c) + at };
  }

  /** The first chunk whose last value is not below `value` (else the last chunk). */
  private chunkFor(value: T): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.chunks[mid]!;
      if (this.compare(chunk[chunk.length - 1]!, value) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lowerBound(chunk: T[], value: T): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.compare(chunk[mid]!, value) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private offsetOf(chunkIndex: number): number {
    let offset = 0;
    for (let i = 0; i < chunkIndex; i++) offset += this.chunks[i]!.length;
    return offset;
  }
}
