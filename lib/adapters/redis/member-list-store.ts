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
import { onReconnected } from "./client";

/** Applies one decoded change to the rows hash; true when it touched a row (member-rows.ts). */
const APPLY_CHANGE = `
local function applyChange(rowsKey, change, memberJson)
  local t = change.type
  if t == 'join' then
    -- The member as the node wrote it (cjson would reorder it, escape '/', and turn [] into {}).
    redis.call('HSET', rowsKey, change.member.user.id, memberJson or cjson.encode(change.member))
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
if not applyChange(rows, cjson.decode(ARGV[1]), ARGV[4]) then return 0 end
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

/**
 * Installs what a builder loaded, replays the recorded changes; a list kept meanwhile wins (0).
 * -1: the recording expired during the load, so changes may be missing: build again.
 */
const INSTALL_SCRIPT = `${APPLY_CHANGE}
local meta, rows, building = KEYS[1], KEYS[2], KEYS[3]
if redis.call('EXISTS', meta) == 1 then return 0 end
if redis.call('EXISTS', building) == 0 then return -1 end
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

/** A build that takes longer than this loses what it recorded, and starts again. */
const BUILD_RECORDING_MS = 5 * 60_000;
/** How long a node waits for another node's build before building too. */
const WAIT_FOR_OTHER_BUILD_MS = 15_000;

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
      const memberJson = change.type === "join" ? JSON.stringify(change.member) : "";
    await this.redis.eval(APPLY_SCRIPT, 3, ...this.keys(serverId), JSON.stringify(change), this.channel, serverId, ...(memberJson ? [memberJson] : []));
    } catch (err) {
      this.log.warn({ err, serverId, change: change.type }, "a member-list change was not recorded");
    }
  }

  async snapshot(serverId: Snowflake, load: () => Promise<Member[]>): Promise<MemberListSnapshot> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const kept = await this.read(serverId);
      if (kept) return kept;
      const began = (await this.redis.eval(BEGIN_SCRIPT, 3, ...this.keys(serverId), BUILD_RECORDING_MS)) as number;
      // Another node is building it: its result serves this node too (one load, not one per node).
      if (began === 0) {
        const theirs = await this.waitForList(serverId);
        if (theirs) return theirs;
      }
      const members = await load();
      const installed = (await this.redis.eval(INSTALL_SCRIPT, 3, ...this.keys(serverId), randomUUID(), ...members.map((m) => JSON.stringify(m)))) as number;
      if (installed === -1) continue; // the recording expired meanwhile: what we loaded may miss changes
      const built = await this.read(serverId);
      if (built) return built;
    }
    throw new Error("the member list could not be built");
  }

  private async waitForList(serverId: Snowflake): Promise<MemberListSnapshot | null> {
    const deadline = Date.now() + WAIT_FOR_OTHER_BUILD_MS;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const list = await this.read(serverId);
      if (list) return list;
      if (!(await this.redis.exists(this.keys(serverId)[2]))) return null; // that build gave up
    }
    return null;
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
    // Changes published while the feed was cut are lost: every watcher must look again.
    onReconnected(this.subscriber, () => {
      for (const { onGap } of this.listeners) onGap?.();
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
