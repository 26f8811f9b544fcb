// Runs the IdempotencyStore contract against every implementation we ship.
import { afterAll } from "vitest";
import type { Database } from "../../lib/adapters/db/client";
import { DrizzleIdempotencyStore } from "../../lib/adapters/db/idempotency-store";
import { MemoryIdempotencyStore } from "../../lib/adapters/memory/idempotency-store";
import { RedisIdempotencyStore } from "../../lib/adapters/redis/idempotency-store";
import type { IdempotencyStore } from "../../lib/ports/idempotency-store";
import { fakeClock, realClock } from "./clock";
import { databaseTargets } from "./databases";
import { describeIdempotencyStoreContract } from "./idempotency-store.contract";
import { mustNotFallBack, redisTarget, silentLog, unreachableRedis } from "./redis";

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

const redis = redisTarget("IdempotencyStore");
if (redis) {
  let client: ReturnType<typeof redis.client> | undefined;
  // A miss in Redis asks the fallback (the database in production, for keys claimed while
  // Redis was down): here it knows nothing, and a claim reaching it fails the case.
  const emptyFallback: IdempotencyStore = { get: async () => null, claim: mustNotFallBack<IdempotencyStore>("RedisIdempotencyStore").claim };
  // Redis expires keys on its own clock: a 1.5 s TTL and real waits.
  describeIdempotencyStoreContract(
    "RedisIdempotencyStore (SET NX PX, on Redis's clock, real waits)",
    async ({ ttlMs }) => ({
      store: new RedisIdempotencyStore(await (client ??= redis.client()), ttlMs, emptyFallback, silentLog, redis.prefix),
      clock: realClock(),
    }),
    { ttlMs: 1_500 },
  );
}

// While Redis is unreachable, claims go to the fallback store with the same guarantees.
const down = unreachableRedis();
describeIdempotencyStoreContract("RedisIdempotencyStore while Redis is unreachable (database fallback)", async ({ ttlMs }) => {
  const clock = fakeClock();
  return { store: new RedisIdempotencyStore(down, ttlMs, new MemoryIdempotencyStore(ttlMs, clock.now), silentLog), clock };
});
