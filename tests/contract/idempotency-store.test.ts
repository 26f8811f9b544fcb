// Runs the IdempotencyStore contract against every implementation we ship.
import { afterAll } from "vitest";
import type { Database } from "../../lib/adapters/db/client";
import { DrizzleIdempotencyStore } from "../../lib/adapters/db/idempotency-store";
import { MemoryIdempotencyStore } from "../../lib/adapters/memory/idempotency-store";
import { fakeClock } from "./clock";
import { databaseTargets } from "./databases";
import { describeIdempotencyStoreContract } from "./idempotency-store.contract";

describeIdempotencyStoreContract("MemoryIdempotencyStore", async ({ ttlMs }) => {
  const clock = fakeClock();
  return { store: new MemoryIdempotencyStore(ttlMs, clock.now), clock };
});

for (const target of databaseTargets("IdempotencyStore")) {
  // One database per target for the whole file; each case gets a store with its own clock.
  let database: Promise<Database> | undefined;
  afterAll(async () => {
    await (await database)?.close();
  });
  describeIdempotencyStoreContract(`DrizzleIdempotencyStore on ${target.name}`, async ({ ttlMs }) => {
    database ??= target.open();
    const clock = fakeClock();
    return { store: new DrizzleIdempotencyStore((await database).db, ttlMs, clock.now), clock };
  });
}
