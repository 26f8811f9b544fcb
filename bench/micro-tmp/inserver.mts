import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createParleyServer } from "../../server/create-server";
import { SnowflakeGenerator, timestampOf } from "../../lib/ids/snowflake";
const withNext = process.argv[2] !== "nonext";
const dataDir = mkdtempSync(path.join(tmpdir(), "pgs-"));
const server = await createParleyServer({ port: 0, dataDir, logLevel: "warn", role: withNext ? "all" : "gateway" } as any);
const store = server.deps.messages;
const ids = new SnowflakeGenerator(9);
let seq = 0;
for (let r = 0; r < 4; r++) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < 1500; i++) { const id = ids.next(); await store.insert({ id, channelId: "121376054492266497", serverId: "5", authorId: "7", content: "x".repeat(64), nonce: `n${seq++}`, createdAt: new Date(timestampOf(id)).toISOString() }); }
  const c = process.cpuUsage(c0); console.log(`withNext=${withNext}: ${((c.user + c.system) / 1500).toFixed(0)} µs CPU/insert`);
}
await server.close();
process.exit(0);
