// Runs the GatewayDirectory contract against every implementation, and the Redis one's
// answer while Redis is away.
import { expect, test } from "vitest";
import { MemoryGatewayDirectory } from "../../lib/adapters/memory/gateway-directory";
import { RedisGatewayDirectory } from "../../lib/adapters/redis/gateway-directory";
import { describeGatewayDirectoryContract } from "./gateway-directory.contract";
import { redisTarget, silentLog, unreachableRedis } from "./redis";

/** Long enough that a loaded machine's scheduling does not eat the margins of the lease case. */
const LEASE_MS = 2_000;
describeGatewayDirectoryContract("MemoryGatewayDirectory", async () => new MemoryGatewayDirectory(), LEASE_MS);

const redis = redisTarget("GatewayDirectory");
if (redis) {
  let n = 0;
  describeGatewayDirectoryContract("RedisGatewayDirectory (leases on Redis's clock)", async () => new RedisGatewayDirectory(await redis.client(), silentLog, `${redis.prefix}${++n}:`), LEASE_MS);
}

test("RedisGatewayDirectory while Redis is away and nothing was ever read: UNAVAILABLE", async () => {
  const directory = new RedisGatewayDirectory(unreachableRedis(), silentLog, "unreachable:");
  await expect(directory.live()).rejects.toMatchObject({ code: "UNAVAILABLE" });
});
