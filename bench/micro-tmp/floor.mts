import { PGlite } from "@electric-sql/pglite";
import { serialize } from "pg-protocol";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
const mem = process.argv[2] === "mem";
const pg: any = new PGlite(mem ? "memory://" : path.join(mkdtempSync(path.join(tmpdir(), "pgl-")), "db"));
await pg.waitReady;
await pg.exec("create table t (id bigint primary key, v text)");
const N = 3000;
async function measure(name: string, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 300; i++) await fn(-i - 1);
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn(i);
  const c = process.cpuUsage(c0); const t = performance.now() - t0;
  console.log(`${name.padEnd(44)} ${((c.user + c.system) / N).toFixed(0).padStart(6)} µs CPU  ${(t * 1000 / N).toFixed(0).padStart(6)} µs wall (user ${(c.user/N).toFixed(0)} sys ${(c.system/N).toFixed(0)})`);
}
const sel = Buffer.concat([serialize.parse({ name: "s1", text: "select 1", types: [] }), serialize.sync()]);
await pg.execProtocolRaw(sel);
const call = Buffer.concat([serialize.bind({ statement: "s1" }), serialize.execute({}), serialize.sync()]);
await measure("execProtocolRaw select1 syncToFs true", () => pg.execProtocolRaw(call, { syncToFs: true }));
await measure("execProtocolRaw select1 syncToFs false", () => pg.execProtocolRaw(call, { syncToFs: false }));
await measure("execProtocolRawSync select1", async () => pg.execProtocolRawSync(call));
const ins = Buffer.concat([serialize.parse({ name: "i1", text: "insert into t values ($1::bigint, $2::text)", types: [] }), serialize.sync()]);
await pg.execProtocolRaw(ins);
let k = 1;
await measure("execProtocolRawSync insert (autocommit)", async () => pg.execProtocolRawSync(Buffer.concat([serialize.bind({ statement: "i1", values: [String(k++), "hello"] }), serialize.execute({}), serialize.sync()])));
await pg.close();
