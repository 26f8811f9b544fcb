import { createdAtOf, type Snowflake } from "../ids/snowflake";

/** A message as stored: the author is a reference, hydrated into a user by the use cases. */
export interface StoredMessage {
  id: Snowflake;
  channelId: Snowflake;
  serverId: Snowflake;
  authorId: Snowflake;
  content: string;
  nonce?: string;
  /** Always the snowflake's own timestamp, so a retried write of the same id is identical. */
  createdAt: string;
}

export interface HistoryQuery {
  limit: number;
  /** Only messages with a smaller id (exclusive). Mutually exclusive with `after`. */
  before?: Snowflake;
  /** Only messages with a larger id (exclusive). */
  after?: Snowflake;
}

export interface InsertResult {
  /** Whether this call stored a message. */
  inserted: boolean;
  /**
   * The id the send is stored under: the message's own, or, with a nonce, the id an earlier
   * send with that nonce was bound to (which may no longer exist when `inserted` is false).
   */
  id: Snowflake;
}

/** The message as stored under `id` (a message's time is always its id's own). */
export const storedUnder = (message: StoredMessage, id: Snowflake): StoredMessage =>
  id === message.id ? message : { ...message, id, createdAt: createdAtOf(id) };

/** The key of a send's nonce: one author, one channel. */
export const nonceKey = (authorId: Snowflake, channelId: Snowflake, nonce: string) => `nonce:${authorId}:${channelId}:${nonce}`;

/**
 * Chat history, partitioned by channel and time bucket.
 *
 * Guarantees: `insert` resolves only once the row is durable, and inserting the same id twice
 * leaves one row (the second call reports `inserted: false`). With a nonce, at most one message
 * per (author, channel, nonce) is stored while the nonce is remembered (at least the contract's
 * 10 minutes): a later insert with the same nonce stores nothing and names the first message.
 * `list` is read-after-write and always returns newest first: with `before`, the `limit`
 * newest older messages; with `after`, the `limit` oldest newer messages (still sorted newest
 * first).
 */
export interface MessageStore extends MessageRowStore {
  insert(message: StoredMessage): Promise<InsertResult>;
  /** The message a send with this nonce stored, while the nonce is remembered and the message exists. */
  findByNonce(channelId: Snowflake, authorId: Snowflake, nonce: string): Promise<StoredMessage | null>;
}

/**
 * Rows keyed by id only (the Cassandra table): the same guarantees as MessageStore except
 * nonces, which are stored but not enforced; lib/adapters/cassandra/nonce-bound-store.ts adds
 * them with an IdempotencyStore.
 */
export interface MessageRowStore {
  insert(message: StoredMessage): Promise<InsertResult>;
  get(channelId: Snowflake, messageId: Snowflake): Promise<StoredMessage | null>;
  list(channelId: Snowflake, query: HistoryQuery): Promise<StoredMessage[]>;
  /** Throws when the store cannot serve; used by health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One step of re-encryption (`npm run reencrypt`): what it looked at and where to go on. */
export interface ResealBatch {
  /** Rows read in this step. */
  scanned: number;
  /** Rows sealed again under the write key (plain-text rows, or rows under an older key). */
  resealed: number;
  /** Where the next step starts; null when the walk reached the end. Opaque, but safe to save and resume from. */
  next: string | null;
}

/**
 * Walks every stored message in a fixed order, a bounded batch at a time, and seals again the
 * ones not sealed with the key ring's write key. Safe while the store serves: a row is replaced
 * only if it still holds what the walk read, and new messages are already sealed with the
 * write key.
 */
export interface MessageResealer {
  resealBatch(cursor: string | null, limit: number): Promise<ResealBatch>;
}
