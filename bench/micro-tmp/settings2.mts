import { openDatabase } from "../../lib/adapters/db/client";
import { SnowflakeGenerator } from "../../lib/ids/snowflake";
import { bucketOf } from "../../lib/ids/bucket";
const ids = new SnowflakeGenerator(1);
const ins = { name: "i", text: `insert into messages (channel_id, bucket, id, server_id, author_id, content, nonce, created_at) values ($1::bigint, $2::int, $3::bigint, $4::bigint, $5::bigint, $6::text, null, $7::timestamptz) on conflict do nothing returning id::text` };
for (const setup of ["", "set track_activities = off; set track_counts = off", "alter system set full_page_writes = off; select pg_reload_conf()", "set track_activities = off; set track_counts = off; alter system set full_page_writes = off; select pg_reload_conf()"]) {
  const db = await openDatabase({ kind: "pglite", dataDir: "memory://" }, "drizzle");
  const pg = (db.db as any).$client;
  if (setup) await pg.exec(setup);
  const line: string[] = [];
  for (let r = 0; r < 4; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 2000; i++) { const id = ids.next(); await db.sql.run(ins, ["5", bucketOf(id), id, "1", "7", "hello world", new Date().toISOString()]); }
    const c = process.cpuUsage(c0); line.push(((c.user + c.system) / 2000).toFixed(0));
  }
  console.log((setup || "defaults").padEnd(60), line.join(" "));
  await db.close();
}
