// Runs the RateLimiter contract against every implementation we ship.
import { MemoryRateLimiter } from "../../lib/adapters/memory/rate-limiter";
import { RedisRateLimiter } from "../../lib/adapters/redis/rate-limiter";
import type { RateLimiter } from "../../lib/ports/rate-limiter";
import { fakeClock, realClock } from "./clock";
import { describeRateLimiterContract } from "./rate-limiter.contract";
import { mustNotFallBack, redisTarget, silentLog, unreachableRedis } from "./redis";

describeRateLimiterContract("MemoryRateLimiter", async ({ points, windowMs }) => {
  const clock = fakeClock();
  return { limiter: new MemoryRateLimiter(points, windowMs, clock.now), clock };
});

const redis = redisTarget("RateLimiter");
if (redis) {
  let client: ReturnType<typeof redis.client> | undefined;
  let n = 0;
  // Redis decides on its own clock (TIME inside the script): the cases wait in real time.
  // Each limiter gets a prefix of its own, so cases that reuse a key start from a full budget.
  describeRateLimiterContract("RedisRateLimiter (on Redis's clock, real waits)", async ({ points, windowMs }) => ({
    limiter: new RedisRateLimiter(await (client ??= redis.client()), points, windowMs, mustNotFallBack<RateLimiter>("RedisRateLimiter"), silentLog, `${redis.prefix}${++n}:`),
    clock: realClock(),
  }));
}

// While Redis is unreachable every process keeps the budget by itself, with the same guarantees.
const down = unreachableRedis();
describeRateLimiterContract("RedisRateLimiter while Redis is unreachable (per-process fallback)", async ({ points, windowMs }) => {
  const clock = fakeClock();
  return { limiter: new RedisRateLimiter(down, points, windowMs, new MemoryRateLimiter(points, windowMs, clock.now), silentLog), clock };
});
