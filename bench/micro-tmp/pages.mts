import { openDatabase } from "../../lib/adapters/db/client";
import { messageStoreOn } from "../../lib/adapters/db/message-store";
import { SnowflakeGenerator, timestampOf } from "../../lib/ids/snowflake";
const db = await openDatabase({ kind: "pglite", dataDir: "memory://" }, "drizzle");
const store = messageStoreOn(db, { nonceTtlMs: 15 * 60_000 });
const ids = new SnowflakeGenerator(1);
const channel = "121376054492266497";
const all: string[] = [];
for (let i = 0; i < 2000; i++) { const id = ids.next(); all.push(id); await store.insert({ id, channelId: channel, serverId: "5", authorId: String(100 + (i % 50)), content: "a message of about sixty four characters, give or take a few ok", nonce: `n${i}`, createdAt: new Date(timestampOf(id)).toISOString() }); }
await (db.db as any).$client.exec("analyze");
for (let r = 0; r < 4; r++) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < 1000; i++) await store.list(channel, { limit: 50, before: all[100 + ((i * 7919) % 1800)] });
  const c = process.cpuUsage(c0); console.log(`deep page: ${((c.user + c.system) / 1000).toFixed(0)} µs CPU`);
}
await db.close();
