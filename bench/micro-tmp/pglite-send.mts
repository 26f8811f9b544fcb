import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { serialize } from "pg-protocol";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as schema from "../../lib/adapters/db/schema";
import { DrizzleIdempotencyStore } from "../../lib/adapters/db/idempotency-store";
import { PostgresMessageStore } from "../../lib/adapters/db/message-store";
import { SnowflakeGenerator } from "../../lib/ids/snowflake";
import { bucketOf } from "../../lib/ids/bucket";

const dir = mkdtempSync(path.join(tmpdir(), "pgl-"));
const pg = new PGlite(path.join(dir, "db"));
const db = drizzle({ client: pg, schema });
await migrate(db, { migrationsFolder: "drizzle" });
const ids = new SnowflakeGenerator(1);
const idem = new DrizzleIdempotencyStore(db as any, 15 * 60_000);
const store = new PostgresMessageStore(db as any);
const N = Number(process.argv[2] ?? 2000);
const channel = "121376054492266497", server = "121376054492266490", author = "121376054492266400";

async function measure(name: string, fn: (i: number) => Promise<void>) {
  for (let i = 0; i < 200; i++) await fn(-i - 1);
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn(i);
  const c = process.cpuUsage(c0); const t = performance.now() - t0;
  console.log(`${name.padEnd(40)} ${((c.user + c.system) / N).toFixed(0).padStart(6)} µs CPU/op  ${(t * 1000 / N).toFixed(0).padStart(6)} µs wall/op`);
}
let run = 0;
await measure("current: get + claim + insert (drizzle)", async (i) => {
  const key = `nonce:${author}:${channel}:a${run}-${i}`;
  await idem.get(key);
  const id = await idem.claim(key, ids.next());
  await store.insert({ id, channelId: channel, serverId: server, authorId: author, content: "x".repeat(64), nonce: `a${i}`, createdAt: new Date().toISOString() });
});
await measure("insert only (drizzle)", async () => {
  const id = ids.next();
  await store.insert({ id, channelId: channel, serverId: server, authorId: author, content: "x".repeat(64), createdAt: new Date().toISOString() });
});
const FOLDED = `with claim as (
  insert into idempotency_keys (key, value, expires_at) values ($1, $3::text, now() + interval '15 minutes')
  on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at where idempotency_keys.expires_at <= now()
  returning value),
ins as (insert into messages (channel_id, bucket, id, server_id, author_id, content, nonce, created_at)
  select $2::bigint, $4::int, $3::text::bigint, $5::bigint, $6::bigint, $7::text, $8::text, to_timestamp($9::double precision / 1000) from claim where claim.value = $3::text
  on conflict do nothing returning id)
select (select value from claim) as claimed, (select id::text from ins) as inserted`;
const vals = (i: number, tag: string) => { const id = ids.next(); return [`nonce:${author}:${channel}:${tag}-${i}`, channel, id, bucketOf(id), server, author, "x".repeat(64), `${tag}${i}`, Date.now()]; };
await measure("folded CTE via pg.query (unnamed)", async (i) => { await pg.query(FOLDED, vals(i, "b")); });
const PLAIN = `insert into messages (channel_id, bucket, id, server_id, author_id, content, nonce, created_at) values ($1::bigint,$2::int,$3::bigint,$4::bigint,$5::bigint,$6::text,$7::text, to_timestamp($8::double precision / 1000)) on conflict do nothing returning id::text`;
await measure("plain insert via pg.query (unnamed)", async () => { const id = ids.next(); await pg.query(PLAIN, [channel, bucketOf(id), id, server, author, "x".repeat(64), null, Date.now()]); });

// Raw protocol with a named statement.
const p: any = pg;
let prepared = new Set<string>();
async function raw(name: string, text: string, values: unknown[]) {
  const parts: Uint8Array[] = [];
  if (!prepared.has(name)) { parts.push(serialize.parse({ name, text, types: [] })); prepared.add(name); }
  parts.push(serialize.bind({ statement: name, values: values.map((v) => v === null ? null : String(v)) }));
  parts.push(serialize.execute({}));
  parts.push(serialize.sync());
  const msg = Buffer.concat(parts);
  return p._runExclusiveTransaction(() => p._runExclusiveQuery(() => p.execProtocolRaw(msg, { syncToFs: true })));
}
await measure("folded CTE raw named", async (i) => { await raw("folded", FOLDED, vals(i, "c")); });
await measure("plain insert raw named", async () => { const id = ids.next(); await raw("plain", PLAIN, [channel, bucketOf(id), id, server, author, "x".repeat(64), null, Date.now()]); });
const r: Uint8Array = await raw("sel1", "select 1", []);
await measure("select 1 raw named", async () => { await raw("sel1", "select 1", []); });
await measure("select 1 pg.query", async () => { await pg.query("select 1"); });
// batch of 5 folded in one transaction message
await measure("5 folded in one raw message (per 5)", async (i) => {
  const parts: Uint8Array[] = [serialize.parse({ name: "", text: "begin", types: [] }), serialize.bind({}), serialize.execute({})];
  for (let k = 0; k < 5; k++) { parts.push(serialize.bind({ statement: "folded", values: vals(i * 5 + k, "d").map(String) })); parts.push(serialize.execute({})); }
  parts.push(serialize.parse({ name: "", text: "commit", types: [] }), serialize.bind({}), serialize.execute({}), serialize.sync());
  const msg = Buffer.concat(parts);
  await p._runExclusiveTransaction(() => p._runExclusiveQuery(() => p.execProtocolRaw(msg, { syncToFs: true })));
});
console.log(Buffer.from(r).toString("latin1").replace(/[^\x20-\x7e]/g, "."));
await pg.close();
