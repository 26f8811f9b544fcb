import { openDatabase } from "../../lib/adapters/db/client";
const db = await openDatabase({ kind: "pglite", dataDir: "memory://" }, "drizzle");
const ins = { name: "i", text: `insert into idempotency_keys (key, value, expires_at) values ($1::text, $2::text, now() + interval '15 minutes')` };
const sel = { name: "s", text: `select value from idempotency_keys where key = $1::text and expires_at > now()` };
const sel2 = { name: "s2", text: `select value from idempotency_keys where key = $1::text` };
let k = 0;
const line: string[] = [];
for (let r = 0; r < 5; r++) {
  for (let i = 0; i < 1500; i++) await db.sql.run(ins, [`nonce:7:5:${k++}`, "1"]);
  const c0 = process.cpuUsage();
  for (let i = 0; i < 500; i++) await db.sql.run(sel, [`nonce:7:5:${i * 3}`]);
  const c1 = process.cpuUsage(c0);
  const c2 = process.cpuUsage();
  for (let i = 0; i < 500; i++) await db.sql.run(sel2, [`nonce:7:5:${i * 3}`]);
  const c3 = process.cpuUsage(c2);
  line.push(`${k}: ${((c1.user + c1.system) / 500).toFixed(0)}/${((c3.user + c3.system) / 500).toFixed(0)}`);
}
console.log(line.join("  "));
const pg = (db.db as any).$client;
console.log((await pg.query("explain execute s('nonce:7:5:3')")).rows.map((x: any) => x["QUERY PLAN"]).join("\n"));
await pg.exec("prepare s3 as select value from idempotency_keys where key = $1::text and expires_at > now()");
for (let i = 0; i < 7; i++) await pg.query("execute s3('nonce:7:5:3')");
console.log((await pg.query("explain execute s3('nonce:7:5:3')")).rows.map((x: any) => x["QUERY PLAN"]).join("\n"));
await db.close();
