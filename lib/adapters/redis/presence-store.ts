// Presence across nodes: every connection holds a lease (a sorted-set entry with an expiry,
// refreshed by heartbeats). A user is online while any lease is alive, so a node that dies
// without cleaning up lets its users fall offline once their leases run out. One Lua script
// computes every transition atomically against the last announced status, so each real
// change is reported exactly once, whichever node sees it first.
import type { Redis } from "ioredis";
import type { ChosenStatus, PresenceStatus } from "../../domain/types";
import type { Snowflake } from "../../ids/snowflake";
import type { Logger } from "../../logger";
import type { ExpiredPresence, PresenceStore, PresenceTransition } from "../../ports/presence-store";

const TRANSITION_SCRIPT = `
local conns, chosenKey, visibleKey, leases = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local op, userId, connId, leaseMs, status = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', conns, '-inf', now)
if op == 'connect' or op == 'heartbeat' then
  redis.call('ZADD', conns, now + leaseMs, connId)
elseif op == 'disconnect' then
  redis.call('ZREM', conns, connId)
elseif op == 'status' then
  redis.call('SET', chosenKey, status)
end
if redis.call('ZCARD', conns) > 0 then
  local newest = redis.call('ZRANGE', conns, -1, -1, 'WITHSCORES')
  redis.call('ZADD', leases, newest[2], userId)
  redis.call('PEXPIRE', conns, leaseMs * 2)
  local chosen = redis.call('GET', chosenKey)
  if not chosen then chosen = 'online' end
  if chosen == 'invisible' then status = 'offline' else status = chosen end
else
  redis.call('ZREM', leases, userId)
  status = 'offline'
end
local before = redis.call('GET', visibleKey)
if not before then before = 'offline' end
if status == 'offline' then redis.call('DEL', visibleKey) else redis.call('SET', visibleKey, status) end
return {before, status, string.format('%d%06d', tonumber(t[1]), tonumber(t[2]))}
`;

const EXPIRED_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
`;

const LIVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
`;

type Op = "connect" | "heartbeat" | "disconnect" | "status" | "sweep";

const UNCHANGED: PresenceTransition = { before: "offline", after: "offline", changed: false, at: 0 };

export interface RedisPresenceOptions {
  /** How long a lease lives without a heartbeat. */
  leaseMs: number;
  /** Key prefix, so several deployments or test runs can share one Redis. */
  prefix?: string;
}

export class RedisPresenceStore implements PresenceStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisPresenceOptions,
    private readonly log: Logger,
  ) {
    this.prefix = options.prefix ?? "parley:";
  }

  private keys(userId: Snowflake) {
    const p = `${this.prefix}presence:`;
    return [`${p}conns:${userId}`, `${p}chosen:${userId}`, `${p}visible:${userId}`, `${p}leases`];
  }

  /** Redis being away must not break connections: presence then degrades to "offline". */
  private async run(op: Op, userId: Snowflake, connectionId = "", status = ""): Promise<PresenceTransition> {
    try {
      const [before, after, at] = (await this.redis.eval(TRANSITION_SCRIPT, 4, ...this.keys(userId), op, userId, connectionId, this.options.leaseMs, status)) as [PresenceStatus, PresenceStatus, string];
      return { before, after, changed: before !== after, at: Number(at) };
    } catch (err) {
      this.log.warn({ err: (err as Error).message, op }, "presence unavailable");
      return UNCHANGED;
    }
  }

  connect(userId: Snowflake, connectionId: string) {
    return this.run("connect", userId, connectionId);
  }

  disconnect(userId: Snowflake, connectionId: string) {
    return this.run("disconnect", userId, connectionId);
  }

  heartbeat(userId: Snowflake, connectionId: string) {
    return this.run("heartbeat", userId, connectionId);
  }

  setChosenStatus(userId: Snowflake, status: ChosenStatus) {
    return this.run("status", userId, "", status);
  }

  /** Fails open: with Redis away, nobody is refused for having too many connections. */
  async liveConnections(userId: Snowflake): Promise<number> {
    try {
      return (await this.redis.eval(LIVE_SCRIPT, 1, this.keys(userId)[0]!)) as number;
    } catch {
      return 0;
    }
  }

  async getChosenStatus(userId: Snowflake): Promise<ChosenStatus> {
    try {
      return ((await this.redis.get(this.keys(userId)[1]!)) as ChosenStatus | null) ?? "online";
    } catch {
      return "online";
    }
  }

  async getStatuses(userIds: Snowflake[]): Promise<Map<Snowflake, PresenceStatus>> {
    const statuses = new Map<Snowflake, PresenceStatus>(userIds.map((id) => [id, "offline"]));
    if (userIds.length === 0) return statuses;
    try {
      const values = await this.redis.mget(userIds.map((id) => this.keys(id)[2]!));
      userIds.forEach((id, i) => values[i] && statuses.set(id, values[i] as PresenceStatus));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "presence unavailable; everyone shows offline");
    }
    return statuses;
  }

  async expireStale(limit = 500): Promise<ExpiredPresence[]> {
    let userIds: Snowflake[];
    try {
      userIds = (await this.redis.eval(EXPIRED_SCRIPT, 1, `${this.prefix}presence:leases`, limit)) as Snowflake[];
    } catch {
      return [];
    }
    const expired: ExpiredPresence[] = [];
    for (const userId of userIds) {
      const transition = await this.run("sweep", userId);
      if (transition.changed) expired.push({ userId, transition });
    }
    return expired;
  }
}
