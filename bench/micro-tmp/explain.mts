import { openDatabase } from "../../lib/adapters/db/client";
import { messageStoreOn } from "../../lib/adapters/db/message-store";
import { SnowflakeGenerator, timestampOf } from "../../lib/ids/snowflake";
const db = await openDatabase({ kind: "pglite", dataDir: "memory://" }, "drizzle");
const store = messageStoreOn(db, { nonceTtlMs: 15 * 60_000 });
const ids = new SnowflakeGenerator(1);
const channel = "121376054492266497";
for (let i = 0; i < 3000; i++) { const id = ids.next(); await store.insert({ id, channelId: channel, serverId: "5", authorId: "7", content: "x", nonce: `n${i}`, createdAt: new Date(timestampOf(id)).toISOString() }); }
const pg = (db.db as any).$client;
const id = ids.next();
const r = await pg.query(`explain analyze with claim as (
    insert into idempotency_keys (key, value, expires_at) values ('k1', '${id}', now() + 900000 * interval '1 millisecond')
    on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at where idempotency_keys.expires_at <= now()
    returning value
  ), inserted as (
    insert into messages (channel_id, bucket, id, server_id, author_id, content, nonce, created_at)
    select ${channel}::bigint, 33, '${id}'::text::bigint, 5, 7, 'x', 'nn', now()
    where exists (select from claim)
    on conflict do nothing returning id::text
  )
  select (select id from inserted), (select value from idempotency_keys where key = 'k1' and expires_at > now())`);
console.log(r.rows.map((x: any) => x["QUERY PLAN"]).join("\n"));
console.log((await pg.query("select relname, reltuples, relpages from pg_class where relname in ('idempotency_keys','messages','idempotency_keys_pkey','idempotency_keys_expires_at_idx')")).rows);
await db.close();
