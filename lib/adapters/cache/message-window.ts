// One channel's newest messages in memory, and the history queries they alone answer exactly.
import type { HistoryQuery, StoredMessage } from "../../ports/message-store";

/** `coveredFrom` when the window holds the whole channel (ids are never negative). */
const WHOLE_CHANNEL = -1n;

/**
 * A channel's newest stored messages, oldest first, capped at `cap`, with the promise that
 * makes it usable: every stored message of the channel whose id is >= `coveredFrom` is in it.
 * It starts as the newest `loaded` messages and grows downwards as readers scroll back
 * (`extendOlder`). Ids are compared as 64-bit integers (BigInt): decimal strings of different
 * lengths do not sort as text. Messages are frozen; callers get new arrays.
 */
export class MessageWindow {
  private ids: bigint[] = [];
  private messages: StoredMessage[] = [];
  private coveredFrom: bigint;
  /** An estimate of the memory its messages hold, for the store's overall budget. */
  bytes = 0;

  /** From the store's own answer to `{ limit: loaded }` (newest first), taken as it is. */
  constructor(
    loaded: number,
    newestFirst: StoredMessage[],
    private readonly cap = loaded,
  ) {
    // Fewer than asked for: that is the whole channel. Otherwise nothing older is known.
    const oldest = newestFirst.at(-1);
    this.coveredFrom = newestFirst.length < loaded || !oldest ? WHOLE_CHANNEL : BigInt(oldest.id);
    for (let i = newestFirst.length - 1; i >= 0; i--) this.add(Object.freeze({ ...newestFirst[i]! }));
  }

  /** Messages held. */
  get size(): number {
    return this.ids.length;
  }

  /**
   * Where older messages would join it: its oldest message, when messages older than that may
   * exist (undefined once it holds the whole channel, or holds nothing).
   */
  get bottom(): string | undefined {
    return this.coveredFrom === WHOLE_CHANNEL || this.ids.length === 0 ? undefined : this.ids[0]!.toString();
  }

  /**
   * Adds the store's own answer to `{ before: bottom, limit }` (newest first) below the oldest
   * message: the next older messages, so the promise extends down to the oldest of them (or to
   * the whole channel when fewer than `limit` came back). Room is made within the cap by not
   * taking the oldest of them.
   */
  extendOlder(bottom: string, olderNewestFirst: StoredMessage[], limit: number): void {
    if (bottom !== this.bottom || olderNewestFirst.length > limit) return;
    const room = Math.max(0, this.cap - this.ids.length);
    const taken = olderNewestFirst.slice(0, room);
    if (taken.length === 0) return;
    const ids: bigint[] = [];
    const messages: StoredMessage[] = [];
    for (let i = taken.length - 1; i >= 0; i--) {
      const message = Object.freeze({ ...taken[i]! });
      ids.push(BigInt(message.id));
      messages.push(message);
      this.bytes += bytesOf(message);
    }
    this.ids = ids.concat(this.ids);
    this.messages = messages.concat(this.messages);
    this.coveredFrom = taken.length === olderNewestFirst.length && olderNewestFirst.length < limit ? WHOLE_CHANNEL : ids[0]!;
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
    if (this.ids.length > this.cap) {
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
