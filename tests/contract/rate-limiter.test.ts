// Runs the RateLimiter contract against every implementation we ship.
import { MemoryRateLimiter } from "../../lib/adapters/memory/rate-limiter";
import { fakeClock } from "./clock";
import { describeRateLimiterContract } from "./rate-limiter.contract";

describeRateLimiterContract("MemoryRateLimiter", async ({ points, windowMs }) => {
  const clock = fakeClock();
  return { limiter: new MemoryRateLimiter(points, windowMs, clock.now), clock };
});
