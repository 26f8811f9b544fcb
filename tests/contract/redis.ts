// The Redis a contract runs against: the one REDIS_URL names (read through the env module),
// under a key prefix of this run's own. Without REDIS_URL: a visible skipped suite and a notice.
import { once } from "node:events";
import { afterAll, describe, test } from "vitest";
import { Redis } from "ioredis";
import { createRedisClient } from "../../lib/adapters/redis/client";
import { readEnv } from "../../lib/config/env";
import { createLogger } from "../../lib/logger";
import { deleteKeysUnder, uniqueRedisPrefix } from "../support/redis";

export interface RedisTarget {
  url: string;
  /** Every key this run writes starts with it; they are deleted after the file. */
  prefix: string;
  /**
   * A store connection configured as production configures it (fail fast, no offline queue),
   * once it is ready: before that, commands fail at once by design.
   */
  client(): Promise<Redis>;
}

export const silentLog = createLogger("silent");

/**
 * A store connection to a port where nothing listens: every command fails at once, as it does
 * while Redis is down. Needs no Redis, so the fallback runs happen in every test run.
 */
export function unreachableRedis(): Redis {
  // Port 1 on loopback: privileged, never a Redis in a test environment.
  const client = createRedisClient("redis://127.0.0.1:1", "store", silentLog);
  afterAll(() => client.disconnect());
  return client;
}

/** A fallback that must not be reached: a contract run of a Redis adapter tests Redis, not it. */
export function mustNotFallBack<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: (_, method) => async () => {
      throw new Error(`${what} fell back (${String(method)}): Redis did not answer`);
    },
  });
}

export function redisTarget(suite: string): RedisTarget | undefined {
  const url = readEnv().REDIS_URL;
  if (!url) {
    console.info(`[${suite}] REDIS_URL is not set: the Redis run of this contract is skipped.`);
    describe.skip(`${suite} on Redis`, () => test("needs REDIS_URL", () => {}));
    return undefined;
  }
  const prefix = uniqueRedisPrefix(suite);
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await deleteKeysUnder(url, prefix);
  });
  return {
    url,
    prefix,
    client: async () => {
      const c = createRedisClient(url, "store", silentLog);
      clients.push(c);
      if (c.status !== "ready") await once(c, "ready", { signal: AbortSignal.timeout(5_000) });
      return c;
    },
  };
}
