import { openDatabase } from "../../lib/adapters/db/client";
import { SnowflakeGenerator } from "../../lib/ids/snowflake";
import { bucketOf } from "../../lib/ids/bucket";
const ids = new SnowflakeGenerator(1);
const CLAIM = `claim as (insert into idempotency_keys (key, value, expires_at) values ($8::text, $3::text, now() + $9::int * interval '1 millisecond')
    on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at where idempotency_keys.expires_at <= now() returning value)`;
const INS = `inserted as (insert into messages (channel_id, bucket, id, server_id, author_id, content, nonce, created_at)
    select $1::bigint, $2::int, $3::text::bigint, $4::bigint, $5::bigint, $6::text, $10::text, $7::timestamptz where exists (select from claim)
    on conflict do nothing returning id::text)`;
const V: Record<string, string> = {
  full: `with ${CLAIM}, ${INS} select (select id from inserted), (select value from idempotency_keys where key = $8::text and expires_at > now())`,
  noFinalSelect: `with ${CLAIM}, ${INS} select (select id from inserted), $8::text, $9::int`,
  claimOnly: `with ${CLAIM} select (select value from claim), $1::bigint, $2::int, $4::bigint, $5::bigint, $6::text, $7::timestamptz, $10::text`,
};
for (const [name, text] of Object.entries(V)) {
  const db = await openDatabase({ kind: "pglite", dataDir: "memory://" }, "drizzle");
  const st = { name: `v_${name}`, text };
  const line: string[] = [];
  let k = 0;
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 1500; i++) { const id = ids.next(); await db.sql.run(st, ["5", bucketOf(id), id, "1", "7", "hello", new Date().toISOString(), `nonce:7:5:${k++}`, 900000, "n"]); }
    const c = process.cpuUsage(c0); line.push(((c.user + c.system) / 1500).toFixed(0));
  }
  console.log(name.padEnd(16), line.join(" "), "µs/op per 1500");
  await db.close();
}
