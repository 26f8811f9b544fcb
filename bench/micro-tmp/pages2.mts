import { openDatabase } from "../../lib/adapters/db/client";
import { messageStoreOn } from "../../lib/adapters/db/message-store";
import { SnowflakeGenerator, timestampOf } from "../../lib/ids/snowflake";
import { bucketOf } from "../../lib/ids/bucket";
const db = await openDatabase({ kind: "pglite", dataDir: "memory://" }, "drizzle");
const store = messageStoreOn(db, { nonceTtlMs: 15 * 60_000 });
const ids = new SnowflakeGenerator(1);
const channel = "121376054492266497";
const all: string[] = [];
for (let i = 0; i < 2000; i++) { const id = ids.next(); all.push(id); await store.insert({ id, channelId: channel, serverId: "5", authorId: String(100 + (i % 50)), content: "a message of about sixty four characters, give or take a few ok", nonce: `n${i}`, createdAt: new Date(timestampOf(id)).toISOString() }); }
const pg = (db.db as any).$client;
await pg.exec("analyze");
const V: Record<string, string> = {
  rows: `select id::text, server_id::text, author_id::text, content, nonce from messages where channel_id = $1::bigint and (bucket, id) < ($2::int, $3::bigint) order by messages.bucket desc, messages.id desc limit $4::int`,
  rowsIso: `select id::text, server_id::text, author_id::text, content, nonce, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from messages where channel_id = $1::bigint and (bucket, id) < ($2::int, $3::bigint) order by messages.bucket desc, messages.id desc limit $4::int`,
  jsonAgg: `select coalesce(json_agg(json_build_array(p.id::text, p.server_id::text, p.author_id::text, p.content, p.nonce)), '[]')::text from (select * from messages where channel_id = $1::bigint and (bucket, id) < ($2::int, $3::bigint) order by bucket desc, id desc limit $4::int) p`,
  jsonAggIso: `select coalesce(json_agg(json_build_array(p.id::text, p.server_id::text, p.author_id::text, p.content, p.nonce, to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))), '[]')::text from (select * from messages where channel_id = $1::bigint and (bucket, id) < ($2::int, $3::bigint) order by bucket desc, id desc limit $4::int) p`,
  jsonAggObj: `select coalesce(json_agg(json_build_object('id', p.id::text, 'serverId', p.server_id::text, 'authorId', p.author_id::text, 'content', p.content, 'nonce', p.nonce)), '[]')::text from (select * from messages where channel_id = $1::bigint and (bucket, id) < ($2::int, $3::bigint) order by bucket desc, id desc limit $4::int) p`,
  stringAgg: `select string_agg(p.id::text || ',' || p.server_id::text, ';') from (select * from messages where channel_id = $1::bigint and (bucket, id) < ($2::int, $3::bigint) order by bucket desc, id desc limit $4::int) p`,
  countOnly: `select count(*)::text from (select 1 from messages where channel_id = $1::bigint and (bucket, id) < ($2::int, $3::bigint) order by bucket desc, id desc limit $4::int) p`,
  select1: `select $1::bigint, $2::int, $3::bigint, $4::int`,
};
for (const [name, text] of Object.entries(V)) {
  const st = { name: `p_${name}`, text };
  const line: string[] = [];
  for (let r = 0; r < 4; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 1000; i++) { const c = all[100 + ((i * 7919) % 1800)]!; await db.sql.run(st, [channel, bucketOf(c), c, 50]); }
    const c = process.cpuUsage(c0); line.push(((c.user + c.system) / 1000).toFixed(0));
  }
  console.log(name.padEnd(10), line.join(" "), "µs per page (runner only)");
}
await db.close();
