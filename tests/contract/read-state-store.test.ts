// Runs the ReadStateStore contract against every implementation we ship.
import { afterAll } from "vitest";
import type { Database } from "../../lib/adapters/db/client";
import { DrizzleReadStateStore } from "../../lib/adapters/db/read-state-store";
import { MemoryReadStateStore } from "../../lib/adapters/memory/read-state-store";
import { databaseTargets, uniqueIds } from "./databases";
import { describeReadStateStoreContract } from "./read-state-store.contract";

describeReadStateStoreContract("MemoryReadStateStore", async () => ({ store: new MemoryReadStateStore(), ids: uniqueIds() }));

for (const target of databaseTargets("ReadStateStore")) {
  let database: Promise<Database> | undefined;
  afterAll(async () => {
    await (await database)?.close();
  });
  describeReadStateStoreContract(`DrizzleReadStateStore on ${target.name}`, async () => {
    database ??= target.open();
    return { store: new DrizzleReadStateStore((await database).db), ids: uniqueIds() };
  });
}
