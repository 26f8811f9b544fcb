// Nonces for a store whose rows are keyed by id only (Cassandra). A send's nonce is bound to
// its id in an IdempotencyStore (Redis, or the metadata database) before the row is written,
// and a retry reuses the bound id, so the row's primary key makes a second message impossible:
// "one row per nonce" without a lightweight transaction on the history table. A retry after
// a write that failed (or timed out without landing) finds its binding, no row, and writes the
// row under the same id.
import type { Snowflake } from "../../ids/snowflake";
import type { IdempotencyStore } from "../../ports/idempotency-store";
import { nonceKey, storedUnder, type HistoryQuery, type InsertResult, type MessageRowStore, type MessageStore, type StoredMessage } from "../../ports/message-store";

export class NonceBoundMessageStore implements MessageStore {
  constructor(
    private readonly rows: MessageRowStore,
    private readonly nonces: IdempotencyStore,
  ) {}

  async insert(message: StoredMessage): Promise<InsertResult> {
    if (message.nonce === undefined) return this.rows.insert(message);
    const bound = await this.nonces.claim(nonceKey(message.authorId, message.channelId, message.nonce), message.id);
    if (bound === message.id) return this.rows.insert(message);
    if (await this.rows.get(message.channelId, bound)) return { inserted: false, id: bound };
    // The first attempt bound the nonce but its row never landed: write it now, under its id.
    return this.rows.insert(storedUnder(message, bound));
  }

  async findByNonce(channelId: Snowflake, authorId: Snowflake, nonce: string): Promise<StoredMessage | null> {
    const id = await this.nonces.get(nonceKey(authorId, channelId, nonce));
    return id === null ? null : this.rows.get(channelId, id);
  }

  get(channelId: Snowflake, messageId: Snowflake): Promise<StoredMessage | null> {
    return this.rows.get(channelId, messageId);
  }

  list(channelId: Snowflake, query: HistoryQuery): Promise<StoredMessage[]> {
    return this.rows.list(channelId, query);
  }

  ping(): Promise<void> {
    return this.rows.ping();
  }

  close(): Promise<void> {
    return this.rows.close();
  }
}
