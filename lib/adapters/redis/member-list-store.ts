// The member lists shared by every node. Per kept server, under one hash tag: `rows` (user id
// -> member JSON), `meta` (epoch, seq) and, while a list is being built, `building` (the changes
// recorded meanwhile). One Lua script applies a change, bumps the sequence and publishes it,
// all atomically, so every node hears every list's changes in the order they were applied.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Member } from "../../domain/types";
import type { MemberListChange, MemberListSnapshot, SequencedChange } from "../../domain/member-list/types";
import type { Snowflake } from "../../ids/snowflake";
import type { Logger } from "../../logger";
import type { MemberListStore } from "../../ports/member-list-store";

/** Applies one decoded change to the rows hash; true when it touched a row (member-rows.ts). */
const APPLY_CHANGE = `
local function applyChange(rowsKey, change)
  local t = change.type
  if t == 'join' then
    redis.call('HSET', rowsKey, change.member.user.id, cjson.encode(change.member))
    return true
  elseif t == 'leave' then
    return redis.call('HDEL', rowsKey, change.userId) == 1
  end
  local id = change.userId
  if t == 'profile' then id = change.user.id end
  local raw = redis.call('HGET', rowsKey, id)
  if not raw then return false end
  local m = cjson.decode(raw)
  if t == 'status' then m.status = change.status else m.user = change.user end
  redis.call('HSET', rowsKey, id, cjson.encode(m))
  return true
end
`;

const APPLY_SCRIPT = `${APPLY_CHANGE}
local meta, rows, building = KEYS[1], KEYS[2], KEYS[3]
if redis.call('EXISTS', meta) == 0 then
  if redis.call('EXISTS', building) == 1 then redis.call('RPUSH', building, ARGV[1]) end
  return 0
end
if not applyChange(rows, cjson.decode(ARGV[1])) then return 0 end
local seq = redis.call('HINCRBY', meta, 'seq', 1)
local epoch = redis.call('HGET', meta, 'epoch')
redis.call('PUBLISH', ARGV[2], '{"serverId":"' .. ARGV[3] .. '","epoch":"' .. epoch .. '","seq":' .. seq .. ',"change":' .. ARGV[1] .. '}')
return seq
`;

/** Starts recording changes (the first entry only marks the build) unless a list is kept or building. */
const BEGIN_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('RPUSH', KEYS[3], '{"type":"mark"}')
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[1]))
return 1
`;

/** Installs what a builder loaded, replays the recorded changes; a list kept meanwhile wins. */
const INSTALL_SCRIPT = `${APPLY_CHANGE}
local meta, rows, building = KEYS[1], KEYS[2], KEYS[3]
if redis.call('EXISTS', meta) == 1 then return 0 end
redis.call('DEL', rows)
for i = 2, #ARGV do
  local m = cjson.decode(ARGV[i])
  redis.call('HSET', rows, m.user.id, ARGV[i])
end
for _, raw in ipairs(redis.call('LRANGE', building, 0, -1)) do
  local change = cjson.decode(raw)
  if change.type ~= 'mark' then applyChange(rows, change) end
end
redis.call('DEL', building)
redis.call('HSET', meta, 'epoch', ARGV[1], 'seq', 0)
return 1
`;

const SNAPSHOT_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return {redis.call('HGET', KEYS[1], 'epoch'), redis.call('HGET', KEYS[1], 'seq'), redis.call('HVALS', KEYS[2])}
`;

/** A build that takes longer than this loses what it recorded (the next snapshot builds again). */
const BUILD_RECORDING_MS = 5 * 60_000;

export class RedisMemberListStore implements MemberListStore {
  private readonly channel: string;
  private readonly listeners = new Set<{ listener: (c: SequencedChange) => void; onGap?: () => void }>();
  private subscribed?: Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    /** A connection of its own for pub/sub (it keeps its queue while Redis is away). */
    private readonly subscriber: Redis,
    private readonly log: Logger,
    private readonly prefix = "parley:",
  ) {
    this.channel = `${prefix}member-lists`;
  }

  async apply(serverId: Snowflake, change: MemberListChange): Promise<void> {
    try {
      await this.redis.eval(APPLY_SCRIPT, 3, ...this.keys(serverId), JSON.stringify(change), this.channel, serverId);
    } catch (err) {
      this.log.warn({ err, serverId, change: change.type }, "a member-list change was not recorded");
    }
  }

  async snapshot(serverId: Snowflake, load: () => Promise<Member[]>): Promise<MemberListSnapshot> {
    const kept = await this.read(serverId);
    if (kept) return kept;
    await this.redis.eval(BEGIN_SCRIPT, 3, ...this.keys(serverId), BUILD_RECORDING_MS);
    const members = await load();
    await this.redis.eval(INSTALL_SCRIPT, 3, ...this.keys(serverId), randomUUID(), ...members.map((m) => JSON.stringify(m)));
    const built = await this.read(serverId);
    if (!built) throw new Error("member list vanished right after it was built");
    return built;
  }

  async watch(listener: (change: SequencedChange) => void, onGap?: () => void): Promise<() => void> {
    const entry = { listener, onGap };
    this.listeners.add(entry);
    this.subscribed ??= this.subscribe();
    await this.subscribed;
    return () => this.listeners.delete(entry);
  }

  async epochOf(serverId: Snowflake): Promise<string | null> {
    return this.redis.hget(this.keys(serverId)[0], "epoch");
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
  }

  private async read(serverId: Snowflake): Promise<MemberListSnapshot | null> {
    const answer = (await this.redis.eval(SNAPSHOT_SCRIPT, 3, ...this.keys(serverId))) as [string, string, string[]] | null;
    if (!answer) return null;
    const [epoch, seq, rows] = answer;
    return { epoch, seq: Number(seq), members: rows.map((raw) => JSON.parse(raw) as Member) };
  }

  private keys(serverId: Snowflake): [string, string, string] {
    const tag = `${this.prefix}member-list:{${serverId}}`;
    return [`${tag}:meta`, `${tag}:rows`, `${tag}:building`];
  }

  private async subscribe(): Promise<unknown> {
    let connectedBefore = this.subscriber.status === "ready";
    this.subscriber.on("ready", () => {
      // Changes published while the feed was cut are lost: every watcher must look again.
      if (connectedBefore) for (const { onGap } of this.listeners) onGap?.();
      connectedBefore = true;
    });
    this.subscriber.on("message", (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      let change: SequencedChange;
      try {
        change = JSON.parse(raw) as SequencedChange;
      } catch (err) {
        this.log.warn({ err }, "unreadable member-list change");
        return;
      }
      for (const { listener } of this.listeners) listener(change);
    });
    return this.subscriber.subscribe(this.channel).catch((err) => this.log.warn({ err }, "member-list subscribe failed"));
  }
}
