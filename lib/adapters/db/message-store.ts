// MessageStore on PostgreSQL/PGlite, keyed (channel, bucket, id) like the Cassandra layout.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { bucketOf } from "../../ids/bucket";
import type { Snowflake } from "../../ids/snowflake";
import type { HistoryQuery, MessageStore, StoredMessage } from "../../ports/message-store";
import { pingDatabase, type Db } from "./client";
import { messages } from "./schema";

type Row = typeof messages.$inferSelect;

const toStored = (row: Row): StoredMessage => ({
  id: row.id.toString(),
  channelId: row.channelId.toString(),
  serverId: row.serverId.toString(),
  authorId: row.authorId.toString(),
  content: row.content,
  ...(row.nonce !== null ? { nonce: row.nonce } : {}),
  createdAt: row.createdAt.toISOString(),
});

export class PostgresMessageStore implements MessageStore {
  constructor(
    private readonly db: Db,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async insert(message: StoredMessage): Promise<{ inserted: boolean }> {
    const rows = await this.db
      .insert(messages)
      .values({
        channelId: BigInt(message.channelId),
        bucket: bucketOf(message.id),
        id: BigInt(message.id),
        serverId: BigInt(message.serverId),
        authorId: BigInt(message.authorId),
        content: message.content,
        nonce: message.nonce ?? null,
        createdAt: new Date(message.createdAt),
      })
      .onConflictDoNothing()
      .returning({ id: messages.id });
    return { inserted: rows.length > 0 };
  }

  async get(channelId: Snowflake, messageId: Snowflake): Promise<StoredMessage | null> {
    const [row] = await this.db
      .select()
      .from(messages)
      .where(and(eq(messages.channelId, BigInt(channelId)), eq(messages.bucket, bucketOf(messageId)), eq(messages.id, BigInt(messageId))))
      .limit(1);
    return row ? toStored(row) : null;
  }

  async list(channelId: Snowflake, query: HistoryQuery): Promise<StoredMessage[]> {
    const inChannel = eq(messages.channelId, BigInt(channelId));
    // Row comparisons on (bucket, id) follow the primary key, so each page is one index range scan.
    if (query.after !== undefined) {
      const rows = await this.db
        .select()
        .from(messages)
        .where(and(inChannel, sql`(${messages.bucket}, ${messages.id}) > (${bucketOf(query.after)}, ${BigInt(query.after)})`))
        .orderBy(asc(messages.bucket), asc(messages.id))
        .limit(query.limit);
      return rows.reverse().map(toStored);
    }
    const before = query.before === undefined ? undefined : sql`(${messages.bucket}, ${messages.id}) < (${bucketOf(query.before)}, ${BigInt(query.before)})`;
    const rows = await this.db
      .select()
      .from(messages)
      .where(before ? and(inChannel, before) : inChannel)
      .orderBy(desc(messages.bucket), desc(messages.id))
      .limit(query.limit);
    return rows.map(toStored);
  }

  ping(): Promise<void> {
    return pingDatabase(this.db);
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
