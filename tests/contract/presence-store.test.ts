// Runs the PresenceStore contract against every implementation we ship.
import { MemoryPresenceStore } from "../../lib/adapters/memory/presence-store";
import { RedisPresenceStore } from "../../lib/adapters/redis/presence-store";
import { realClock } from "./clock";
import { describePresenceStoreContract } from "./presence-store.contract";
import { redisTarget, silentLog } from "./redis";

describePresenceStoreContract("MemoryPresenceStore", async () => new MemoryPresenceStore());

const redis = redisTarget("PresenceStore");
if (redis) {
  let client: ReturnType<typeof redis.client> | undefined;
  let n = 0;
  // Leases live on Redis's clock: short ones, and real waits. A prefix per store, so one case's
  // expired leases never show up in another case's sweep.
  const leaseMs = 2_000;
  describePresenceStoreContract(
    "RedisPresenceStore (leases on Redis's clock, real waits)",
    async () => new RedisPresenceStore(await (client ??= redis.client()), { leaseMs, prefix: `${redis.prefix}${++n}:` }, silentLog),
    { leases: { leaseMs, clock: realClock() } },
  );
}
