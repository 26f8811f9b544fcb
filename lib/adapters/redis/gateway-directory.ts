// The gateway directory in Redis: one sorted set, member = the node's URL, score = when its
// lease ends, on Redis's clock (TIME), so nodes' clocks never matter. While Redis is away the
// last list read is answered: gateways keep serving and the set of nodes rarely changes.
import type { Redis } from "ioredis";
import { errors } from "../../errors";
import type { Logger } from "../../logger";
import type { GatewayDirectory } from "../../ports/gateway-directory";

const NOW = `local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
const ANNOUNCE = `local function now() ${NOW} end
redis.call('ZADD', KEYS[1], now() + tonumber(ARGV[2]), ARGV[1])`;
const LIVE = `local function now() ${NOW} end
local n = now()
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', n)
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. n, '+inf')`;

export class RedisGatewayDirectory implements GatewayDirectory {
  private readonly key: string;
  private lastRead: string[] | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    prefix = "",
  ) {
    this.key = `${prefix}gateways`;
  }

  async announce(url: string, leaseMs: number): Promise<void> {
    await this.redis.eval(ANNOUNCE, 1, this.key, url, String(leaseMs));
  }

  async leave(url: string): Promise<void> {
    await this.redis.zrem(this.key, url);
  }

  async live(): Promise<string[]> {
    try {
      const urls = (await this.redis.eval(LIVE, 1, this.key)) as string[];
      this.lastRead = urls.sort();
      return this.lastRead;
    } catch (err) {
      if (this.lastRead) {
        this.log.debug({ err: (err as Error).message }, "gateway directory unreadable: answering the last list read");
        return this.lastRead;
      }
      throw errors.unavailable();
    }
  }
}
