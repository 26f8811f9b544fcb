// The message rows on Cassandra/ScyllaDB: one partition per (channel, ten-day bucket), newest first.
// Prepared statements only; driver paging state never leaves this file (each query has a LIMIT
// of at most one page, and cursors are message ids).
//
// Inserting an id that is already stored must report `inserted: false`. Two ways to get that:
//  - a lightweight transaction (INSERT ... IF NOT EXISTS): exact even across nodes, but every
//    message pays a Paxos round (about four round trips instead of one) and, worse, all the
//    messages of one busy channel go to one partition, where concurrent Paxos rounds contend
//    and time out: the hot path would get slower exactly where traffic is highest.
//  - a read before the write (chosen): one cheap key lookup, then a plain write, both at the
//    configured consistency. The id is the primary key, so a race can never make a second row;
//    its only cost is a narrow window in which two *concurrent* inserts of the same id on two
//    different Parley nodes both report `inserted: true`. The same id is only inserted twice
//    when a client retries a send with its nonce (the idempotency store hands out the id), so
//    this needs a retry racing its own original across nodes within milliseconds; the effect
//    is one row and a second `message:create` with the same id, which clients drop by id.
//    Within one process, concurrent inserts of one id are exact: they share one attempt.
//
// Each call takes an optional AbortSignal (the resilience wrapper aborts it at its timeout): a
// caller that was already told "unavailable" must not have its message written afterwards, so
// the write is skipped if the signal fired while the existence check was stuck.
import cassandra from "cassandra-driver";
import type { MessageCipher } from "../../crypto/message-cipher";
import { bucketOf } from "../../ids/bucket";
import { createdAtOf, type Snowflake } from "../../ids/snowflake";
import type { HistoryQuery, InsertResult, MessageResealer, MessageRowStore, ResealBatch, StoredMessage } from "../../ports/message-store";
import { bucketsToVisit, rounds } from "./bucket-walk";
import { MESSAGES_TABLE } from "./schema";
import type { ConsistencyName } from "./settings";

// `content` is sealed by the cipher (lib/crypto/message-cipher.ts) and `key_id` names its key.
const COLUMNS = "message_id, server_id, author_id, content, nonce, key_id";
/** Rows resealed at once by `resealBatch` (each is one write). */
const RESEAL_CONCURRENCY = 16;
const INT64_MAX = (1n << 63n) - 1n;

export interface CassandraMessageStoreOptions {
  keyspace: string;
  consistency: ConsistencyName;
  /** Seals content on the way in, opens it on the way out. */
  cipher: MessageCipher;
  /** For the bucket walk's upper end; injectable for tests. */
  now?: () => number;
  onClose?: () => Promise<void>;
}

export class CassandraMessageStore implements MessageRowStore, MessageResealer {
  private readonly cql: Record<"exists" | "insert" | "get" | "before" | "after" | "ping" | "scan" | "reseal", string>;
  private readonly queryOptions: cassandra.QueryOptions;
  private readonly inFlight = new Map<string, Promise<InsertResult>>();
  private readonly now: () => number;

  constructor(
    private readonly client: cassandra.Client,
    private readonly options: CassandraMessageStoreOptions,
  ) {
    const table = `${options.keyspace}.${MESSAGES_TABLE}`;
    const partition = "channel_id = ? AND bucket = ?";
    this.cql = {
      exists: `SELECT message_id FROM ${table} WHERE ${partition} AND message_id = ?`,
      insert: `INSERT INTO ${table} (channel_id, bucket, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      get: `SELECT ${COLUMNS} FROM ${table} WHERE ${partition} AND message_id = ?`,
      before: `SELECT ${COLUMNS} FROM ${table} WHERE ${partition} AND message_id < ? LIMIT ?`,
      after: `SELECT ${COLUMNS} FROM ${table} WHERE ${partition} AND message_id > ? ORDER BY message_id ASC LIMIT ?`,
      // A read of one (empty) partition at the configured consistency: proves that enough
      // replicas of the history table answer, not merely that one node is up.
      ping: `SELECT message_id FROM ${table} WHERE ${partition} LIMIT 1`,
      // Re-encryption walks the whole table in token order, a driver page at a time. Rows are
      // never updated otherwise (no edits), so a plain write of the new sealed text is safe.
      scan: `SELECT channel_id, bucket, message_id, key_id, content FROM ${table}`,
      reseal: `UPDATE ${table} SET content = ?, key_id = ? WHERE ${partition} AND message_id = ?`,
    };
    // Every statement here is idempotent (reads, and an upsert of fixed values by primary key),
    // so the driver may retry one on another replica.
    this.queryOptions = { prepare: true, isIdempotent: true, consistency: cassandra.types.consistencies[toDriverName(options.consistency)] };
    this.now = options.now ?? Date.now;
  }

  insert(message: StoredMessage, signal?: AbortSignal): Promise<InsertResult> {
    const key = `${message.channelId}/${message.id}`;
    const running = this.inFlight.get(key);
    if (running) return running.then(() => ({ inserted: false, id: message.id }));
    const attempt = this.insertOnce(message, signal).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, attempt);
    return attempt;
  }

  private async insertOnce(m: StoredMessage, signal?: AbortSignal): Promise<InsertResult> {
    const key = [BigInt(m.channelId), bucketOf(m.id), BigInt(m.id)];
    const existing = await this.client.execute(this.cql.exists, key, this.queryOptions);
    if (existing.rowLength > 0) return { inserted: false, id: m.id };
    signal?.throwIfAborted();
    // An absent nonce is left unset, not null: a null would write a tombstone.
    const sealed = this.options.cipher.seal(m.channelId, m.id, m.content);
    const values = [...key, BigInt(m.serverId), BigInt(m.authorId), sealed.content, m.nonce ?? cassandra.types.unset, sealed.keyId];
    await this.client.execute(this.cql.insert, values, this.queryOptions);
    return { inserted: true, id: m.id };
  }

  async get(channelId: Snowflake, messageId: Snowflake): Promise<StoredMessage | null> {
    const rs = await this.client.execute(this.cql.get, [BigInt(channelId), bucketOf(messageId), BigInt(messageId)], this.queryOptions);
    const row = rs.first();
    return row ? this.toStored(channelId, row) : null;
  }

  async list(channelId: Snowflake, query: HistoryQuery, signal?: AbortSignal): Promise<StoredMessage[]> {
    const ascending = query.after !== undefined;
    const cursor = ascending ? BigInt(query.after!) : query.before !== undefined ? BigInt(query.before) : INT64_MAX;
    const found: cassandra.types.Row[] = [];
    for (const round of rounds(bucketsToVisit(channelId, query, this.now()))) {
      signal?.throwIfAborted();
      const needed = query.limit - found.length;
      const pages = await Promise.all(
        round.map((bucket) =>
          this.client.execute(ascending ? this.cql.after : this.cql.before, [BigInt(channelId), bucket, cursor, needed], this.queryOptions),
        ),
      );
      for (const page of pages) found.push(...page.rows);
      if (found.length >= query.limit) break;
    }
    const page = found.slice(0, query.limit).map((row) => this.toStored(channelId, row));
    return ascending ? page.reverse() : page;
  }

  /** `cursor` is the driver's paging state (hex): it never leaves the operator's command. */
  async resealBatch(cursor: string | null, limit: number): Promise<ResealBatch> {
    const rs = await this.client.execute(this.cql.scan, [], { ...this.queryOptions, fetchSize: limit, ...(cursor ? { pageState: cursor } : {}) });
    const { cipher } = this.options;
    const stale = rs.rows.filter((row) => cipher.isStale((row.get("key_id") as string | null) ?? null));
    for (let i = 0; i < stale.length; i += RESEAL_CONCURRENCY) {
      await Promise.all(
        stale.slice(i, i + RESEAL_CONCURRENCY).map((row) => {
          const channelId = String(row.get("channel_id"));
          const messageId = String(row.get("message_id"));
          const text = cipher.open(channelId, messageId, { keyId: (row.get("key_id") as string | null) ?? null, content: row.get("content") as string });
          const sealed = cipher.seal(channelId, messageId, text);
          return this.client.execute(this.cql.reseal, [sealed.content, sealed.keyId, row.get("channel_id"), row.get("bucket"), row.get("message_id")], this.queryOptions);
        }),
      );
    }
    return { scanned: rs.rowLength, resealed: stale.length, next: rs.pageState ?? null };
  }

  async ping(): Promise<void> {
    await this.client.execute(this.cql.ping, [0n, 0], this.queryOptions);
  }

  /** `createdAt` is not stored: by the port's guarantee it is always the snowflake's own time. */
  private toStored(channelId: Snowflake, row: cassandra.types.Row): StoredMessage {
    const id = String(row.get("message_id"));
    const nonce = row.get("nonce") as string | null;
    return {
      id,
      channelId,
      serverId: String(row.get("server_id")),
      authorId: String(row.get("author_id")),
      content: this.options.cipher.open(channelId, id, { keyId: (row.get("key_id") as string | null) ?? null, content: row.get("content") as string }),
      ...(nonce !== null && nonce !== undefined ? { nonce } : {}),
      createdAt: createdAtOf(id),
    };
  }

  async close(): Promise<void> {
    await this.client.shutdown();
    await this.options.onClose?.();
  }
}

/** The driver's key for a consistency level (`LOCAL_QUORUM` -> `localQuorum`). */
function toDriverName(level: ConsistencyName): keyof typeof cassandra.types.consistencies {
  return level.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof typeof cassandra.types.consistencies;
}
