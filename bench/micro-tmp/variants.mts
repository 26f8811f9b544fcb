import { openDatabase } from "../../lib/adapters/db/client";
const db = await openDatabase({ kind: "pglite", dataDir: "memory://" }, "drizzle");
const sql = db.sql;
const V = {
  keyInsertOnConflict: `insert into idempotency_keys (key, value, expires_at) values ($1::text, $2::text, now() + $3::int * interval '1 millisecond')
    on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at where idempotency_keys.expires_at <= now() returning value`,
  keyInsertPlain: `insert into idempotency_keys (key, value, expires_at) values ($1::text, $2::text, now() + $3::int * interval '1 millisecond')`,
  keyInsertFixedInterval: `insert into idempotency_keys (key, value, expires_at) values ($1::text, $2::text, now() + interval '15 minutes' + $3::int * interval '0 ms')`,
};
let k = 0;
for (const [name, text] of Object.entries(V)) {
  await (db.db as any).$client.exec("delete from idempotency_keys");
  const st = { name: `v_${name}`, text };
  const line: string[] = [];
  for (let r = 0; r < 4; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 1000; i++) await sql.run(st, [`nonce:7:123:${name}-${k++}`, String(k), 900000]);
    const c = process.cpuUsage(c0); line.push(((c.user + c.system) / 1000).toFixed(0));
  }
  console.log(name.padEnd(26), line.join(" "), "µs/op per 1000");
}
await db.close();
