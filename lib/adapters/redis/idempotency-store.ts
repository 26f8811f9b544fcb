// Idempotency keys shared by every node: SET NX with a TTL, so the first claim of a key wins
// everywhere. While Redis is unreachable, claims go to the fallback store (the database), so
// a retried send is still not stored twice.
import type { Redis } from "ioredis";
import type { Logger } from "../../logger";
import type { IdempotencyStore } from "../../ports/idempotency-store";

export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
    private readonly fallback: IdempotencyStore,
    private readonly log: Logger,
    private readonly prefix = "parley:",
  ) {}

  private key(key: string) {
    return `${this.prefix}idem:${key}`;
  }

  async get(key: string): Promise<string | null> {
    try {
      return (await this.redis.get(this.key(key))) ?? (await this.fallback.get(key));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "idempotency falling back to the database");
      return this.fallback.get(key);
    }
  }

  async claim(key: string, value: string): Promise<string> {
    try {
      // SET ... NX GET answers the value already bound, or null when this claim won.
      const existing = await this.redis.set(this.key(key), value, "PX", this.ttlMs, "NX", "GET");
      return existing ?? value;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "idempotency falling back to the database");
      return this.fallback.claim(key, value);
    }
  }
}
