// The message history schema, applied idempotently at start (and usable as is with cqlsh).
//
// One partition per channel and ten-day bucket (lib/ids/bucket.ts): a busy channel writes into
// a new partition every ten days, so no partition grows without bound, and a page of recent
// history is one sequential read of one partition. `message_id` is a time-ordered snowflake,
// clustered DESC so "newest first" is the natural order on disk.
//
// Leveled compaction: history is read far more often than written and rows are never updated,
// so the bounded number of SSTables per read that LCS gives is worth its extra write I/O.
// (TWCS only suits TTL'd, never-read-back data; UCS would be fine on Cassandra 5 but ScyllaDB
// does not have it, and LCS works on both.)
import { replicationCql, type Replication } from "./settings";

export const MESSAGES_TABLE = "messages";

/** Created only when missing: an existing keyspace's replication is the operator's to change. */
export function keyspaceCql(keyspace: string, replication: Replication): string {
  return `CREATE KEYSPACE IF NOT EXISTS ${keyspace}
  WITH replication = ${replicationCql(replication)}
  AND durable_writes = true`;
}

export function messagesTableCql(keyspace: string): string {
  return `CREATE TABLE IF NOT EXISTS ${keyspace}.${MESSAGES_TABLE} (
  channel_id bigint,
  bucket int,
  message_id bigint,
  server_id bigint,
  author_id bigint,
  content text,
  nonce text,
  key_id text,
  PRIMARY KEY ((channel_id, bucket), message_id)
) WITH CLUSTERING ORDER BY (message_id DESC)
  AND compaction = {'class': 'LeveledCompactionStrategy'}
  AND comment = 'Parley message history: one partition per channel and ten-day bucket'`;
}

/**
 * Columns added after the table's first release, as (name, type): a table created by an older
 * Parley gets them at open (`ALTER TABLE ... ADD` fails when the column exists, so the open
 * looks in system_schema first). `key_id`: the key that sealed `content` (null: plain text).
 */
export const ADDED_COLUMNS: ReadonlyArray<readonly [string, string]> = [["key_id", "text"]];

/** Everything, in order, for `openCassandra` or for pasting into cqlsh. */
export function schemaCql(keyspace: string, replication: Replication): string[] {
  return [keyspaceCql(keyspace, replication), messagesTableCql(keyspace)];
}
