// One channel's newest messages in memory, and the history queries they alone answer exactly.
import type { HistoryQuery, StoredMessage } from "../../ports/message-store";

/** `coveredFrom` when the window holds the whole channel (ids are never negative). */
const WHOLE_CHANNEL = -1n;

/**
 * A channel's newest stored messages, oldest first, capped at `size`, with the promise that
 * makes it usable: every stored message of the channel whose id is >= `coveredFrom` is in it.
 * Ids are compared as 64-bit integers (BigInt): decimal strings of different lengths do not
 * sort as text. Messages are frozen; callers get new arrays.
 */
export class MessageWindow {
  private readonly ids: bigint[] = [];
  private readonly messages: StoredMessage[] = [];
  private coveredFrom: bigint;
  /** An estimate of the memory its messages hold, for the store's overall budget. */
  bytes = 0;

  /** From the store's own answer to `{ limit: size }` (newest first), taken as it is. */
  constructor(
    private readonly size: number,
    newestFirst: StoredMessage[],
  ) {
    // Fewer than asked for: that is the whole channel. Otherwise nothing older is known.
    const oldest = newestFirst.at(-1);
    this.coveredFrom = newestFirst.length < size || !oldest ? WHOLE_CHANNEL : BigInt(oldest.id);
    for (let i = newestFirst.length - 1; i >= 0; i--) this.add(Object.freeze({ ...newestFirst[i]! }));
  }

  /**
   * Places a message the store now holds. Sends can finish out of id order, so it goes in its
   * sorted position; one older than the window vouches for is not needed and is left out.
   */
  add(message: StoredMessage): void {
    const id = BigInt(message.id);
    if (id < this.coveredFrom) return;
    const at = firstAtLeast(this.ids, id);
    if (this.ids[at] === id) return;
    this.ids.splice(at, 0, id);
    this.messages.splice(at, 0, message);
    this.bytes += bytesOf(message);
    if (this.ids.length > this.size) {
      // Dropping the oldest keeps the promise for every id from the new oldest on.
      this.ids.shift();
      this.bytes -= bytesOf(this.messages.shift()!);
      this.coveredFrom = this.ids[0]!;
    }
  }

  /**
   * The store's exact answer to `query` (see MessageStore.list), or undefined when that answer
   * could include messages older than the window vouches for.
   */
  answer(query: HistoryQuery): StoredMessage[] | undefined {
    if (query.after !== undefined) {
      // Every stored message newer than the cursor is here when the cursor is covered.
      const after = BigInt(query.after);
      if (after < this.coveredFrom) return undefined;
      const from = firstAtLeast(this.ids, after + 1n);
      return this.newestFirst(from, Math.min(this.ids.length, from + query.limit));
    }
    const end = query.before === undefined ? this.ids.length : firstAtLeast(this.ids, BigInt(query.before));
    const start = end - query.limit;
    // Fewer than `limit` here below the cursor: the rest may be older than the window.
    if (start < 0 && this.coveredFrom !== WHOLE_CHANNEL) return undefined;
    return this.newestFirst(Math.max(0, start), end);
  }

  private newestFirst(from: number, to: number): StoredMessage[] {
    return this.messages.slice(from, to).reverse();
  }
}

/** Two bytes per UTF-16 unit of its strings, plus the object, its id strings and the BigInt key. */
const bytesOf = (m: StoredMessage) => 2 * (m.content.length + (m.nonce?.length ?? 0)) + MESSAGE_OVERHEAD_BYTES;
const MESSAGE_OVERHEAD_BYTES = 320;

/** The index of the first id >= `id` in ascending `ids` (ids.length when none is). */
function firstAtLeast(ids: bigint[], id: bigint): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ids[mid]! < id) low = mid + 1;
    else high = mid;
  }
  return low;
}
