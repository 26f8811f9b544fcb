// Runs the MessageStore contract against every implementation we ship.
import { PostgresMessageStore } from "../../lib/adapters/db/message-store";
import { databaseTargets } from "./databases";
import { describeMessageStoreContract } from "./message-store.contract";

for (const target of databaseTargets("MessageStore")) {
  describeMessageStoreContract(`PostgresMessageStore on ${target.name}`, async () => {
    const database = await target.open();
    return new PostgresMessageStore(database.db, () => database.close());
  });
}
