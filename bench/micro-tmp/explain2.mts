import { openDatabase } from "../../lib/adapters/db/client";
import { messageStoreOn } from "../../lib/adapters/db/message-store";
import { SnowflakeGenerator, timestampOf } from "../../lib/ids/snowflake";
const db = await openDatabase({ kind: "pglite", dataDir: "memory://" }, "drizzle");
const store = messageStoreOn(db, { nonceTtlMs: 15 * 60_000 });
const ids = new SnowflakeGenerator(1);
const channel = "121376054492266497";
for (let i = 0; i < 3000; i++) { const id = ids.next(); await store.insert({ id, channelId: channel, serverId: "5", authorId: "7", content: "x", nonce: `n${i}`, createdAt: new Date(timestampOf(id)).toISOString() }); }
const pg = (db.db as any).$client;
const text = (await import("../../lib/adapters/db/message-store")) as any;
await pg.exec("set plan_cache_mode = force_generic_plan");
const id = ids.next();
const sql = `with claim as (
    insert into idempotency_keys (key, value, expires_at) values ($8::text, $3::text, now() + $9::int * interval '1 millisecond')
    on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at where idempotency_keys.expires_at <= now()
    returning value
  ), inserted as (
    insert into messages (channel_id, bucket, id, server_id, author_id, content, nonce, created_at)
    select $1::bigint, $2::int, $3::text::bigint, $4::bigint, $5::bigint, $6::text, $10::text, $7::timestamptz
    where exists (select from claim)
    on conflict do nothing returning id::text
  )
  select (select id from inserted), (select value from idempotency_keys where key = $8::text and expires_at > now())`;
await pg.exec(`prepare s as ${sql}`);
const r = await pg.query(`explain analyze execute s('${channel}', 33, '${id}', '5', '7', 'x', '${new Date().toISOString()}', 'kk', 900000, 'nn')`);
console.log(r.rows.map((x: any) => x["QUERY PLAN"]).join("\n"));
await db.close();
