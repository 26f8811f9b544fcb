// Runs the MetadataStore contract against every implementation we ship.
import { DrizzleMetadataStore } from "../../lib/adapters/db/metadata-store";
import { databaseTargets } from "./databases";
import { describeMetadataStoreContract } from "./metadata-store.contract";

for (const target of databaseTargets("MetadataStore")) {
  describeMetadataStoreContract(`DrizzleMetadataStore on ${target.name}`, async () => {
    const database = await target.open();
    return { store: new DrizzleMetadataStore(database.db), close: () => database.close() };
  });
}
