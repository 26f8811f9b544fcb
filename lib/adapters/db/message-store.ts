// MessageStore on PostgreSQL/PGlite, keyed (channel, bucket, id) like the Cassandra layout.
// Every statement is written once and prepared (sql-runner.ts); a send is one statement.
import { bucketOf } from "../../ids/bucket";
import { canonicalId, createdAtOf, type Snowflake } from "../../ids/snowflake";
import { nonceKey, type HistoryQuery, type InsertResult, type MessageStore, type StoredMessage } from "../../ports/message-store";
import { pingDatabase, type Database } from "./client";
import type { SqlRunner, Statement, TextRow } from "./sql-runner";

const COLUMNS = "id::text, server_id::text, author_id::text, content, nonce";
const INSERT_COLUMNS = "channel_id, bucket, id, server_id, author_id, content, nonce, created_at";

/**
 * A send with a nonce is one statement: it binds the nonce to the new id (unless a live
 * binding exists; an expired one is taken over) and inserts the message only if the binding
 * is its own, so a nonce and its message commit together or not at all, and a retry can never
 * store a second message, on any node. It answers the inserted id, or null when nothing was
 * inserted (then a second statement reads the binding: reading it in this one, after the
 * insert into the same index, cost time that grew with the table on PGlite, from 0.9 to 1.8 ms
 * over 7,500 keys, against a flat 0.3 ms without it).
 */
const INSERT_WITH_NONCE = `
  with claim as (
    insert into idempotency_keys (key, value, expires_at) values ($8::text, $3::text, now() + $9::int * interval '1 millisecond')
    on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at where idempotency_keys.expires_at <= now()
    returning value
  ), inserted as (
    insert into messages (${INSERT_COLUMNS})
    select $1::bigint, $2::int, $3::text::bigint, $4::bigint, $5::bigint, $6::text, $10::text, $7::timestamptz
    where exists (select from claim)
    on conflict do nothing returning id::text
  )
  select id from inserted`;

/**
 * A page comes back as one JSON text value of [id, server, author, content, nonce] arrays
 * rather than as rows: on PGlite each row of a reply costs a round of its output machinery,
 * and one value measured a third cheaper per 50-message page (docs/performance.md).
 */
const page = (range: string, order: "asc" | "desc", limit: string) => `
  select coalesce(json_agg(json_build_array(p.id::text, p.server_id::text, p.author_id::text, p.content, p.nonce) order by p.bucket ${order}, p.id ${order}), '[]')::text
  from (select * from messages where channel_id = $1::bigint ${range} order by bucket ${order}, id ${order} limit ${limit}::int) p`;

const SQL = {
  insert: {
    name: "parley_message_insert",
    text: `insert into messages (${INSERT_COLUMNS}) values ($1::bigint, $2::int, $3::bigint, $4::bigint, $5::bigint, $6::text, null, $7::timestamptz)
           on conflict do nothing returning id::text`,
  },
  insertWithNonce: { name: "parley_message_insert_nonce", text: INSERT_WITH_NONCE },
  boundTo: { name: "parley_nonce_bound_to", text: "select value from idempotency_keys where key = $1::text and expires_at > now()" },
  sweepNonces: { name: "parley_nonce_sweep", text: "delete from idempotency_keys where expires_at <= now()" },
  get: { name: "parley_message_get", text: `select ${COLUMNS} from messages where channel_id = $1::bigint and bucket = $2::int and id = $3::bigint` },
  // Row comparisons on (bucket, id) follow the primary key, so each page is one index range scan.
  newest: { name: "parley_page_newest", text: page("", "desc", "$2") },
  before: { name: "parley_page_before", text: page("and (bucket, id) < ($2::int, $3::bigint)", "desc", "$4") },
  after: { name: "parley_page_after", text: page("and (bucket, id) > ($2::int, $3::bigint)", "asc", "$4") },
} satisfies Record<string, Statement>;

const SWEEP_EVERY_MS = 60_000;

export interface PostgresMessageStoreOptions {
  /** How long a nonce stays bound to its message (the contract asks for at least 10 minutes). */
  nonceTtlMs: number;
  ping(): Promise<void>;
  onClose?: () => Promise<void>;
}

export class PostgresMessageStore implements MessageStore {
  private lastSweep = Date.now();

  constructor(
    private readonly sql: SqlRunner,
    private readonly options: PostgresMessageStoreOptions,
  ) {}

  async insert(m: StoredMessage): Promise<InsertResult> {
    const values = [m.channelId, bucketOf(m.id), m.id, m.serverId, m.authorId, m.content, m.createdAt];
    if (m.nonce === undefined) {
      const rows = await this.sql.run(SQL.insert, values);
      return { inserted: rows.length > 0, id: m.id };
    }
    this.sweepExpiredNonces();
    const key = nonceKey(m.authorId, canonicalId(m.channelId), m.nonce);
    const rows = await this.sql.run(SQL.insertWithNonce, [...values, key, this.options.nonceTtlMs, m.nonce]);
    if (rows.length > 0) return { inserted: true, id: m.id };
    return { inserted: false, id: (await this.boundTo(key)) ?? m.id };
  }

  async findByNonce(channelId: Snowflake, authorId: Snowflake, nonce: string): Promise<StoredMessage | null> {
    const id = await this.boundTo(nonceKey(authorId, canonicalId(channelId), nonce));
    return id === null ? null : this.get(channelId, id);
  }

  async get(channelId: Snowflake, messageId: Snowflake): Promise<StoredMessage | null> {
    const [row] = await this.sql.run(SQL.get, [channelId, bucketOf(messageId), messageId]);
    return row ? fromRow(canonicalId(channelId), row) : null;
  }

  async list(channelId: Snowflake, query: HistoryQuery): Promise<StoredMessage[]> {
    const channel = canonicalId(channelId);
    const cursor = query.after ?? query.before;
    const rows =
      cursor === undefined
        ? await this.sql.run(SQL.newest, [channel, query.limit])
        : await this.sql.run(query.after !== undefined ? SQL.after : SQL.before, [channel, bucketOf(cursor), cursor, query.limit]);
    const messages = (JSON.parse(rows[0]![0]!) as TextRow[]).map((row) => fromRow(channel, row));
    return query.after !== undefined ? messages.reverse() : messages;
  }

  ping(): Promise<void> {
    return this.options.ping();
  }

  close(): Promise<void> {
    return this.options.onClose?.() ?? Promise.resolve();
  }

  private async boundTo(key: string): Promise<Snowflake | null> {
    const [row] = await this.sql.run(SQL.boundTo, [key]);
    return row?.[0] ?? null;
  }

  /** Drops expired nonces now and then (a failed sweep only delays the cleanup). */
  private sweepExpiredNonces(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.sql.run(SQL.sweepNonces, []).catch(() => {});
  }
}

/** The store over an opened database; `ownsDatabase`: closing the store closes the database. */
export function messageStoreOn(database: Database, options: { nonceTtlMs: number; ownsDatabase?: boolean }): PostgresMessageStore {
  return new PostgresMessageStore(database.sql, {
    nonceTtlMs: options.nonceTtlMs,
    ping: () => pingDatabase(database.db),
    onClose: options.ownsDatabase ? () => database.close() : undefined,
  });
}

/** `createdAt` is the snowflake's own time (the port's guarantee), so it is not read back. */
function fromRow(channelId: Snowflake, [id, serverId, authorId, content, nonce]: TextRow): StoredMessage {
  const message: StoredMessage = {
    id: id!,
    channelId,
    serverId: serverId!,
    authorId: authorId!,
    content: content!,
    createdAt: createdAtOf(id!),
  };
  if (nonce !== null) message.nonce = nonce!;
  return message;
}
