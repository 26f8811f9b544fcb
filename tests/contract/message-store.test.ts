// Runs the MessageStore contract against every implementation we ship.
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
