// Runs the MessageStore contract against every implementation we ship.
import { RecentMessagesStore } from "../../lib/adapters/cache/recent-messages-store";
import { openCassandraMessageStore } from "../../lib/adapters/cassandra/open-message-store";
import { PostgresMessageStore } from "../../lib/adapters/db/message-store";
import { cassandraSettings } from "../support/cassandra";
import { databaseTargets } from "./databases";
import { describeMessageStoreContract } from "./message-store.contract";

for (const target of databaseTargets("MessageStore")) {
  describeMessageStoreContract(`PostgresMessageStore on ${target.name}`, async () => {
    const database = await target.open();
    return new PostgresMessageStore(database.db, () => database.close());
  });
}

// The store exactly as Parley runs it: schema ensured at open, behind the timeout and breaker.
const cassandra = cassandraSettings("MessageStore");
if (cassandra) {
  describeMessageStoreContract(`CassandraMessageStore on ${cassandra.contactPoints.join(",")} (keyspace ${cassandra.keyspace})`, () =>
    openCassandraMessageStore(cassandra),
  );
}

// The in-memory window in front of the embedded store, as the single-writer server runs it;
// and with a window of three messages, so that nearly every case crosses its edge.
for (const target of databaseTargets("MessageStore")) {
  for (const windowSize of [200, 3]) {
    describeMessageStoreContract(`RecentMessagesStore (window ${windowSize}) over PostgresMessageStore on ${target.name}`, async () => {
      const database = await target.open();
      return new RecentMessagesStore(new PostgresMessageStore(database.db, () => database.close()), { windowSize, channels: 1000 });
    });
  }
}
