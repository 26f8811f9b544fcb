// Runs the MessageStore contract against every implementation we ship.
import { RecentMessagesStore } from "../../lib/adapters/cache/recent-messages-store";
import { openCassandraMessageStore } from "../../lib/adapters/cassandra/open-message-store";
import { DrizzleIdempotencyStore } from "../../lib/adapters/db/idempotency-store";
import { messageStoreOn } from "../../lib/adapters/db/message-store";
import { NonceBoundMessageStore } from "../../lib/adapters/cassandra/nonce-bound-store";
import { openDatabase } from "../../lib/adapters/db/client";
import { cassandraSettings } from "../support/cassandra";
import { testCipher } from "../support/keys";
import { databaseTargets, MIGRATIONS } from "./databases";

const NONCE_TTL_MS = 15 * 60 * 1000;
import { describeMessageStoreContract } from "./message-store.contract";

for (const target of databaseTargets("MessageStore")) {
  describeMessageStoreContract(`PostgresMessageStore on ${target.name}`, async () => {
    const database = await target.open();
    return messageStoreOn(database, { nonceTtlMs: NONCE_TTL_MS, cipher: testCipher(), ownsDatabase: true });
  });
}

// The store exactly as Parley runs it: schema ensured at open, behind the timeout and breaker.
const cassandra = cassandraSettings("MessageStore");
if (cassandra) {
  describeMessageStoreContract(`CassandraMessageStore on ${cassandra.contactPoints.join(",")} (keyspace ${cassandra.keyspace})`, async () => {
    // Nonces in the metadata database, as a node without Redis keeps them.
    const nonces = await openDatabase({ kind: "pglite", dataDir: "memory://" }, MIGRATIONS);
    const rows = await openCassandraMessageStore(cassandra, testCipher());
    const store = new NonceBoundMessageStore(rows, new DrizzleIdempotencyStore(nonces.db, NONCE_TTL_MS));
    return Object.assign(store, { close: () => rows.close().finally(() => nonces.close()) });
  });
}

// The in-memory window in front of the embedded store, as the single-writer server runs it;
// and with a window of three messages, so that nearly every case crosses its edge.
for (const target of databaseTargets("MessageStore")) {
  for (const windowSize of [200, 3]) {
    describeMessageStoreContract(`RecentMessagesStore (window ${windowSize}) over PostgresMessageStore on ${target.name}`, async () => {
      const database = await target.open();
      return new RecentMessagesStore(messageStoreOn(database, { nonceTtlMs: NONCE_TTL_MS, cipher: testCipher(), ownsDatabase: true }), { windowSize, channels: 1000 });
    });
  }
}
