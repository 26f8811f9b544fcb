// MessageStore on PostgreSQL/PGlite, keyed (channel, bucket, id) like the Cassandra layout.
// Every statement is written once and prepared (sql-runner.ts); a send is one statement.
import type { MessageCipher } from "../../crypto/message-cipher";
import { bucketOf } from "../../ids/bucket";
import { canonicalId, createdAtOf, type Snowflake } from "../../ids/snowflake";
import { nonceKey, type HistoryQuery, type InsertResult, type MessageResealer, type MessageStore, type ResealBatch, type StoredMessage } from "../../ports/message-store";
import { pingDatabase, type Database } from "./client";
import type { SqlRunner, Statement, TextRow } from "./sql-runner";

// `content` is sealed by the cipher (lib/crypto/message-cipher.ts) and `key_id` names its key.
const COLUMNS = "id::text, server_id::text, author_id::text, content, nonce, key_id";
const INSERT_COLUMNS = "channel_id, bucket, id, server_id, author_id, content, nonce, created_at, key_id";

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
    select $1::bigint, $2::int, $3::text::bigint, $4::bigint, $5::bigint, $6::text, $10::text, $7::timestamptz, $11::text
    where exists (select from claim)
    on conflict do nothing returning id::text
  )
  select id from inserted`;

/**
 * A page comes back as one JSON text value of [id, server, author, content, nonce, key id] arrays
 * rather than as rows: on PGlite each row of a reply costs a round of its output machinery,
 * and one value measured a third cheaper per 50-message page (docs/performance.md).
 */
const page = (range: string, order: "asc" | "desc", limit: string) => `
  select coalesce(json_agg(json_build_array(p.id::text, p.server_id::text, p.author_id::text, p.content, p.nonce, p.key_id) order by p.bucket ${order}, p.id ${order}), '[]')::text
  from (select * from messages where channel_id = $1::bigint ${range} order by bucket ${order}, id ${order} limit ${limit}::int) p`;

const SQL = {
  insert: {
    name: "parley_message_insert",
    text: `insert into messages (${INSERT_COLUMNS}) values ($1::bigint, $2::int, $3::bigint, $4::bigint, $5::bigint, $6::text, null, $7::timestamptz, $8::text)
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
  // Re-encryption (npm run reencrypt): walks the primary key in order, and replaces a row's
  // content only if it is still sealed as it was read (another run may have been first).
  scan: {
    name: "parley_reseal_scan",
    text: `select channel_id::text, bucket::text, id::text, key_id, content from messages
           where (channel_id, bucket, id) > ($1::bigint, $2::int, $3::bigint) order by channel_id, bucket, id limit $4::int`,
  },
  reseal: {
    name: "parley_reseal_row",
    text: `update messages set content = $4::text, key_id = $5::text
           where channel_id = $1::bigint and bucket = $2::int and id = $3::bigint and key_id is not distinct from $6::text and content = $7::text`,
  },
} satisfies Record<string, Statement>;

const SWEEP_EVERY_MS = 60_000;

export interface PostgresMessageStoreOptions {
  /** How long a nonce stays bound to its message (the contract asks for at least 10 minutes). */
  nonceTtlMs: number;
  /** Seals content on the way in, opens it on the way out. */
  cipher: MessageCipher;
  ping(): Promise<void>;
  onClose?: () => Promise<void>;
}

export class PostgresMessageStore implements MessageStore, MessageResealer {
  private lastSweep = Date.now();

  constructor(
    private readonly sql: SqlRunner,
    private readonly options: PostgresMessageStoreOptions,
  ) {}

  async insert(m: StoredMessage): Promise<InsertResult> {
    const sealed = this.options.cipher.seal(m.channelId, m.id, m.content);
    const values = [m.channelId, bucketOf(m.id), m.id, m.serverId, m.authorId, sealed.content, m.createdAt];
    if (m.nonce === undefined) {
      const rows = await this.sql.run(SQL.insert, [...values, sealed.keyId]);
      return { inserted: rows.length > 0, id: m.id };
    }
    this.sweepExpiredNonces();
    const key = nonceKey(m.authorId, canonicalId(m.channelId), m.nonce);
    const rows = await this.sql.run(SQL.insertWithNonce, [...values, key, this.options.nonceTtlMs, m.nonce, sealed.keyId]);
    if (rows.length > 0) return { inserted: true, id: m.id };
    return { inserted: false, id: (await this.boundTo(key)) ?? m.id };
  }

  async findByNonce(channelId: Snowflake, authorId: Snowflake, nonce: string): Promise<StoredMessage | null> {
    const id = await this.boundTo(nonceKey(authorId, canonicalId(channelId), nonce));
    return id === null ? null : this.get(channelId, id);
  }

  async get(channelId: Snowflake, messageId: Snowflake): Promise<StoredMessage | null> {
    const [row] = await this.sql.run(SQL.get, [channelId, bucketOf(messageId), messageId]);
    return row ? this.fromRow(canonicalId(channelId), row) : null;
  }

  async list(channelId: Snowflake, query: HistoryQuery): Promise<StoredMessage[]> {
    const channel = canonicalId(channelId);
    const cursor = query.after ?? query.before;
    const rows =
      cursor === undefined
        ? await this.sql.run(SQL.newest, [channel, query.limit])
        : await this.sql.run(query.after !== undefined ? SQL.after : SQL.before, [channel, bucketOf(cursor), cursor, query.limit]);
    const messages = (JSON.parse(rows[0]![0]!) as TextRow[]).map((row) => this.fromRow(channel, row));
    return query.after !== undefined ? messages.reverse() : messages;
  }

  async resealBatch(cursor: string | null, limit: number): Promise<ResealBatch> {
    const [channel, bucket, id] = cursor === null ? ["-1", String(-(2 ** 31)), "-1"] : cursor.split(":");
    const rows = await this.sql.run(SQL.scan, [channel!, bucket!, id!, limit]);
    const { cipher } = this.options;
    const updates = rows
      .filter(([, , , keyId]) => cipher.isStale(keyId ?? null))
      .map(([channelId, bucketText, messageId, keyId, content]) => {
        const text = cipher.open(channelId!, messageId!, { keyId: keyId ?? null, content: content! });
        const sealed = cipher.seal(channelId!, messageId!, text);
        return [SQL.reseal, [channelId!, bucketText!, messageId!, sealed.content, sealed.keyId, keyId ?? null, content!]] as const;
      });
    if (updates.length > 0) {
      if (this.sql.runBatch) await this.sql.runBatch(updates);
      else for (const [statement, values] of updates) await this.sql.run(statement, values);
    }
    const last = rows[rows.length - 1];
    return { scanned: rows.length, resealed: updates.length, next: rows.length < limit || !last ? null : `${last[0]}:${last[1]}:${last[2]}` };
  }

  ping(): Promise<void> {
    return this.options.ping();
  }

  close(): Promise<void> {
    return this.options.onClose?.() ?? Promise.resolve();
  }

  /** `createdAt` is the snowflake's own time (the port's guarantee), so it is not read back. */
  private fromRow(channelId: Snowflake, [id, serverId, authorId, content, nonce, keyId]: TextRow): StoredMessage {
    const message: StoredMessage = {
      id: id!,
      channelId,
      serverId: serverId!,
      authorId: authorId!,
      content: this.options.cipher.open(channelId, id!, { keyId: keyId ?? null, content: content! }),
      createdAt: createdAtOf(id!),
    };
    if (nonce !== null && nonce !== undefined) message.nonce = nonce;
    return message;
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
export function messageStoreOn(database: Database, options: { nonceTtlMs: number; cipher: MessageCipher; ownsDatabase?: boolean }): PostgresMessageStore {
  return new PostgresMessageStore(database.sql, {
    nonceTtlMs: options.nonceTtlMs,
    cipher: options.cipher,
    ping: () => pingDatabase(database.db),
    onClose: options.ownsDatabase ? () => database.close() : undefined,
  });
}
