// npm run reencrypt [-- --batch-size 500] [--pause-ms 20] [--restart] [--add-key]
//
// Seals every stored message with the key ring's write key: plain-text rows from before
// encryption and rows under older keys (docs/security.md, "Encryption at rest"). Reads the same
// configuration as the server (DATABASE_URL, CASSANDRA_*, MESSAGE_KEYS or the embedded key
// ring). Safe while PostgreSQL/Cassandra nodes serve; resumable (progress in the secrets dir).
// The embedded PGlite belongs to one process: while its server runs, the server does this
// itself after each start, and this command refuses. `--add-key` appends a fresh key to the
// embedded key ring file first (with MESSAGE_KEYS, add it to the variable instead).
import path from "node:path";
import { parseArgs } from "node:util";
import { openCassandra } from "../../lib/adapters/cassandra/client";
import { CassandraMessageStore } from "../../lib/adapters/cassandra/message-store";
import { openDatabase } from "../../lib/adapters/db/client";
import { messageStoreOn } from "../../lib/adapters/db/message-store";
import { MessageCipher } from "../../lib/crypto/message-cipher";
import type { MessageResealer } from "../../lib/ports/message-store";
import { NONCE_TTL_MS } from "../build-deps";
import { MEMORY, resolveConfig } from "../config";
import { lockDataDir, lockOwner, preparePrivateDataDir } from "../data-dir";
import { ensurePrivateDir, usePrivateUmask } from "../files";
import { addKeyToRingFile, loadOrCreateKeyRing } from "../secrets";
import { ProgressFile, resealAll } from "./run";

const say = (line: string) => process.stderr.write(`[reencrypt] ${line}\n`);

async function main(): Promise<number> {
  usePrivateUmask();
  const { values } = parseArgs({
    options: {
      "batch-size": { type: "string", default: "500" },
      "pause-ms": { type: "string", default: "20" },
      restart: { type: "boolean", default: false },
      "add-key": { type: "boolean", default: false },
    },
  });
  const batchSize = Number(values["batch-size"]);
  const pauseMs = Number(values["pause-ms"]);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error("--batch-size must be 1..10000");
  if (!Number.isInteger(pauseMs) || pauseMs < 0) throw new Error("--pause-ms must be 0 or more");

  const config = resolveConfig({ logLevel: "warn" });
  if (config.dataDir === MEMORY) throw new Error("DATA_DIR=memory:// holds nothing to re-encrypt");
  if (values["add-key"]) {
    if (config.messageKeys) throw new Error("MESSAGE_KEYS is set: add the new key to it (last) on every node instead of --add-key");
    loadOrCreateKeyRing(config.secretsDir);
    say(`added key ${addKeyToRingFile(config.secretsDir)} to ${path.join(config.secretsDir, "message-keys")}`);
  }
  const ring = config.messageKeys ?? loadOrCreateKeyRing(config.secretsDir);
  const cipher = new MessageCipher(ring);

  let store: MessageResealer;
  let scope: string;
  let close: () => Promise<void>;
  let vacuum: (() => Promise<void>) | undefined;
  if (config.messages.kind === "cassandra") {
    const client = await openCassandra(config.messages);
    store = new CassandraMessageStore(client, { keyspace: config.messages.keyspace, consistency: config.messages.consistency, cipher });
    scope = `cassandra:${config.messages.keyspace}`;
    close = () => client.shutdown();
  } else {
    let release = () => {};
    if (config.database.kind === "pglite") {
      const owner = lockOwner(config.dataDir);
      if (owner !== undefined) {
        say(`the server (pid ${owner}) holds ${config.dataDir}: it seals older rows itself in the background after each start${values["add-key"] ? "; restart it to write with the new key" : ""}.`);
        return values["add-key"] ? 0 : 1;
      }
      preparePrivateDataDir(config.dataDir);
      release = lockDataDir(config.dataDir);
    }
    const database = await openDatabase(config.database, path.join(config.projectDir, "drizzle"));
    store = messageStoreOn(database, { nonceTtlMs: NONCE_TTL_MS, cipher });
    scope = "database";
    close = () => database.close().finally(release);
    // Old row versions keep their bytes until vacuumed (plain VACUUM takes no lock that blocks the server).
    vacuum = () => database.db.execute("vacuum messages").then(() => undefined);
  }
  try {
    ensurePrivateDir(config.secretsDir, "the secrets dir"); // where the progress is kept
    say(`sealing with key ${ring.write.id} (${scope}), ${batchSize} rows a batch`);
    const totals = await resealAll(store, {
      scope,
      writeKey: ring.write.id,
      batchSize,
      pauseMs,
      restart: values.restart,
      progress: ProgressFile.in(config.secretsDir),
      onBatch: (_, t) => say(`${t.scanned} rows read, ${t.resealed} sealed again`),
    });
    if (totals.resealed > 0) await vacuum?.();
    say(totals.scanned === 0 && totals.resealed === 0 ? `nothing to do: already complete under key ${ring.write.id} (--restart walks again)` : `done: ${totals.scanned} rows read, ${totals.resealed} sealed again with key ${ring.write.id}; keys no row uses any more may now be removed`);
    return 0;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
