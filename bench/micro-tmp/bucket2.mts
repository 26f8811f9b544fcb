import { openDatabase } from "../../lib/adapters/db/client";
import { messageStoreOn } from "../../lib/adapters/db/message-store";
import { snowflakeAt, timestampOf, PARLEY_EPOCH_MS } from "../../lib/ids/snowflake";
import { bucketOf, BUCKET_MS } from "../../lib/ids/bucket";
const db = await openDatabase({ kind: "pglite", dataDir: "memory://" }, "drizzle");
const store = messageStoreOn(db, { nonceTtlMs: 1000 });
const boundary = (b: number) => PARLEY_EPOCH_MS + b * BUCKET_MS;
for (const b of [2, 3, 4, 5]) for (const d of [-1, 0, 1]) {
  const id = snowflakeAt(boundary(b) + d, 3, 0);
  await store.insert({ id, channelId: "5", serverId: "1", authorId: "7", content: "x", createdAt: new Date(timestampOf(id)).toISOString() });
}
console.log((await (db.db as any).$client.query("select bucket, id::text from messages order by id")).rows.map((r: any) => `${r.bucket} ${r.id} js=${bucketOf(r.id)}`));
await db.close();
