// Runs the MetadataStore contract against every implementation we ship.
import { CachedMetadataStore } from "../../lib/adapters/cache/cached-metadata-store";
import { DrizzleMetadataStore } from "../../lib/adapters/db/metadata-store";
import { databaseTargets } from "./databases";
import { describeMetadataStoreContract } from "./metadata-store.contract";

for (const target of databaseTargets("MetadataStore")) {
  describeMetadataStoreContract(`DrizzleMetadataStore on ${target.name}`, async () => {
    const database = await target.open();
    return { store: new DrizzleMetadataStore(database.db), close: () => database.close() };
  });
}

// The cache in front of the store must keep every promise of the contract.
for (const target of databaseTargets("MetadataStore")) {
  describeMetadataStoreContract(`CachedMetadataStore over Drizzle on ${target.name}`, async () => {
    const database = await target.open();
    return { store: new CachedMetadataStore(new DrizzleMetadataStore(database.db)), close: () => database.close() };
  });
}

// With memberships remembered too, as the embedded single-writer server runs it.
for (const target of databaseTargets("MetadataStore")) {
  describeMetadataStoreContract(`CachedMetadataStore with memberships over Drizzle on ${target.name}`, async () => {
    const database = await target.open();
    return { store: new CachedMetadataStore(new DrizzleMetadataStore(database.db), { memberships: true }), close: () => database.close() };
  });
}
