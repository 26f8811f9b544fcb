import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "../../lib/adapters/db/client";
import { messageStoreOn } from "../../lib/adapters/db/message-store";
import { SnowflakeGenerator, timestampOf } from "../../lib/ids/snowflake";
const dir = path.join(mkdtempSync(path.join(tmpdir(), "pgl-")), "db");
const db = await openDatabase({ kind: "pglite", dataDir: process.argv[4] === "mem" ? "memory://" : dir }, "drizzle");
const store = messageStoreOn(db, { nonceTtlMs: 15 * 60_000 });
const ids = new SnowflakeGenerator(1);
const N = Number(process.argv[2] ?? 2000), conc = Number(process.argv[3] ?? 1);
const channel = "121376054492266497", server = "121376054492266490";
let seq = 0;
const one = async (withNonce: boolean) => { const id = ids.next(); await store.insert({ id, channelId: channel, serverId: server, authorId: String(1000 + (seq % 200)), content: "x".repeat(64), ...(withNonce ? { nonce: `n-${seq++}` } : {}), createdAt: new Date(timestampOf(id)).toISOString() }); };
for (const withNonce of [true, false, true]) {
  for (let r = 0; r < 2; r++) {
    const c0 = process.cpuUsage(); const t0 = performance.now();
    let left = N;
    await Promise.all(Array.from({ length: conc }, async () => { while (left-- > 0) await one(withNonce); }));
    const c = process.cpuUsage(c0);
    console.log(`nonce=${withNonce} conc=${conc}: ${((c.user + c.system) / N).toFixed(0)} µs CPU/insert, ${((performance.now() - t0) * 1000 / N).toFixed(0)} µs wall`);
  }
}
await db.close();
