import type { Snowflake } from "../ids/snowflake";

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

/**
 * Chat history, partitioned by channel and time bucket.
 *
 * Guarantees: `insert` resolves only once the row is durable, and inserting the same id twice
 * leaves one row (the second call reports `inserted: false`). `list` is read-after-write and
 * always returns newest first: with `before`, the `limit` newest older messages; with
 * `after`, the `limit` oldest newer messages (still sorted newest first).
 */
export interface MessageStore {
  insert(message: StoredMessage): Promise<{ inserted: boolean }>;
  get(channelId: Snowflake, messageId: Snowflake): Promise<StoredMessage | null>;
  list(channelId: Snowflake, query: HistoryQuery): Promise<StoredMessage[]>;
  /** Throws when the store cannot serve; used by health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
