// The per-user message budget shared by every node: an exact sliding window (a sorted set of
// recent send times, on Redis's clock). rate-limiter-flexible's Redis limiter counts fixed
// windows, which can admit twice the budget across a window boundary; the contract says
// "any one-second window", so this is a small script instead. While Redis is unreachable
// each process falls back to its own in-memory window.
import type { Redis } from "ioredis";
import { randomUUID } from "node:crypto";
import type { Logger } from "../../logger";
import type { RateDecision, RateLimiter } from "../../ports/rate-limiter";

const SLIDING_WINDOW_SCRIPT = `
local key, limit, windowMs, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - windowMs)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, windowMs)
  return -1
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + windowMs - now
`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly points: number,
    private readonly windowMs: number,
    private readonly fallback: RateLimiter,
    private readonly log: Logger,
    private readonly prefix = "parley:",
  ) {}

  async consume(key: string): Promise<RateDecision> {
    try {
      const wait = (await this.redis.eval(SLIDING_WINDOW_SCRIPT, 1, `${this.prefix}rate:${key}`, this.points, this.windowMs, randomUUID())) as number;
      return wait < 0 ? { allowed: true } : { allowed: false, retryAfterMs: Math.max(1, wait) };
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "rate limiter falling back to this process");
      return this.fallback.consume(key);
    }
  }

  async refund(key: string): Promise<void> {
    try {
      await this.redis.zpopmax(`${this.prefix}rate:${key}`);
    } catch {
      await this.fallback.refund(key);
    }
  }
}
