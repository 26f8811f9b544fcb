// MessageStore on PostgreSQL/PGlite, keyed (channel, bucket, id) like the Cassandra layout.
import { and, eq } from "drizzle-orm";
import { bucketOf } from "../../ids/bucket";
import type { Snowflake } from "../../ids/snowflake";
import type { HistoryQuery, MessageStore, StoredMessage } from "../../ports/message-store";
import { pingDatabase, rawQuery, type Db } from "./client";
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

/**
 * The history page queries, written once. A page comes back as one JSON text value rather than
 * `limit` rows: decoding rows field by field was most of a page's cost on PGlite (see
 * docs/performance.md). Ids travel as text (JSON numbers cannot hold 64 bits), created_at as
 * epoch milliseconds. Row comparisons on (bucket, id) follow the primary key, so each page is
 * one index range scan.
 */
const pageSql = (range: string, order: "asc" | "desc", limit: string) => `
  select coalesce(json_agg(json_build_array(p.id::text, p.server_id::text, p.author_id::text, p.content, p.nonce,
    (extract(epoch from p.created_at) * 1000)::bigint)), '[]')::text as page
  from (select * from messages where channel_id = $1 ${range} order by bucket ${order}, id ${order} limit ${limit}) p`;

const PAGE_SQL = {
  newest: pageSql("", "desc", "$2"),
  before: pageSql("and (bucket, id) < ($2, $3)", "desc", "$4"),
  after: pageSql("and (bucket, id) > ($2, $3)", "asc", "$4"),
};

/** One message of a page, as `list` selects it: id, server, author, content, nonce, created_at in ms. */
type PageRow = [string, string, string, string, string | null, number];

const fromPageRow = (channelId: string, [id, serverId, authorId, content, nonce, createdAt]: PageRow): StoredMessage => ({
  id,
  channelId,
  serverId,
  authorId,
  content,
  ...(nonce !== null ? { nonce } : {}),
  createdAt: new Date(createdAt).toISOString(),
});

export class PostgresMessageStore implements MessageStore {
  private readonly query: ReturnType<typeof rawQuery>;

  constructor(
    private readonly db: Db,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    this.query = rawQuery(db);
  }

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
    const channel = BigInt(channelId).toString();
    const cursor = query.after ?? query.before;
    const [text, values] =
      cursor === undefined
        ? [PAGE_SQL.newest, [channel, query.limit]]
        : [query.after !== undefined ? PAGE_SQL.after : PAGE_SQL.before, [channel, bucketOf(cursor), BigInt(cursor).toString(), query.limit]];
    const { rows } = await this.query<{ page: string }>(text, values);
    const page = (JSON.parse(rows[0]!.page) as PageRow[]).map((row) => fromPageRow(channel, row));
    return query.after !== undefined ? page.reverse() : page;
  }

  ping(): Promise<void> {
    return pingDatabase(this.db);
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
