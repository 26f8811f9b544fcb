// Remembered isMember answers (both "yes" and "no"), for the one check on every history read
// and every send. Exactly coherent only when every membership write of the database goes
// through `write` of this one instance, i.e. when this process is the database's only writer:
// server/build-deps.ts decides where that holds.
import { canonicalId, type Snowflake } from "../../ids/snowflake";
import { BoundedMap } from "./bounded-map";

const RECENT_LISTS = 20_000;

export class MembershipCache {
  private readonly answers: BoundedMap<string, boolean>;
  /** Bumped when any membership write starts and when it ends. */
  private writeEvents = 0;
  private writesInFlight = 0;
  /** Users' server lists, with the write count they were read at (exact while it holds). */
  private readonly lists: BoundedMap<Snowflake, { ids: Snowflake[]; seen: number }>;

  constructor(limit: number) {
    this.answers = new BoundedMap(limit);
    // Only the newest few matter (a list is looked at again within a connect).
    this.lists = new BoundedMap(Math.min(limit, RECENT_LISTS));
  }

  /**
   * The remembered answer, or `load`'s. A loaded answer is remembered only when no membership
   * write was in flight at any moment of the load: a load that read before a write committed
   * must not install its answer after that write resolved (a stale "yes" after a leave).
   */
  async read(serverId: Snowflake, userId: Snowflake, load: () => Promise<boolean>): Promise<boolean> {
    const key = keyOf(serverId, userId);
    const known = this.answers.get(key);
    if (known !== undefined) return known;
    const seen = this.writeEvents;
    const answer = await load();
    if (this.writeEvents === seen && this.writesInFlight === 0) this.answers.set(key, answer);
    return answer;
  }

  /**
   * The servers `load` lists for `userId` (a user's server list, read anyway at every gateway
   * connect), each remembered as a "yes" under the same rule as `read`: so a session's first
   * send or history read in each of its servers needs no membership query of its own.
   */
  async readServersOf<T>(userId: Snowflake, load: () => Promise<T[]>, serverIdOf: (item: T) => Snowflake): Promise<T[]> {
    const seen = this.writeEvents;
    const items = await load();
    if (this.writeEvents === seen && this.writesInFlight === 0) {
      for (const item of items) this.answers.set(keyOf(serverIdOf(item), userId), true);
      this.lists.set(userId, { ids: items.map(serverIdOf), seen });
    }
    return items;
  }

  /**
   * The user's server ids as a list read above found them, when no membership write of any
   * user has happened since it was read (so they are still exact), else `load`'s. A gateway
   * connection reads the list to build `ready` and looks again once its rooms are joined:
   * without a write in between, the second look needs no query.
   */
  async serverIdsOf(userId: Snowflake, load: () => Promise<Snowflake[]>): Promise<Snowflake[]> {
    const known = this.lists.get(userId);
    if (known && known.seen === this.writeEvents && this.writesInFlight === 0) return [...known.ids];
    return this.readServersOf(userId, load, (id) => id);
  }

  /**
   * Runs a write that leaves (serverId, userId) a member or not (`memberAfter`), and remembers
   * that answer before the write resolves. When another membership write overlapped it, their
   * commit order is unknown here, so the answer is forgotten instead and the next read loads
   * it; so is it when the write fails (it may or may not have happened).
   */
  async write<T>(serverId: Snowflake, userId: Snowflake, memberAfter: boolean, run: () => Promise<T>): Promise<T> {
    const key = keyOf(serverId, userId);
    const alone = this.writesInFlight === 0;
    this.writesInFlight++;
    const started = ++this.writeEvents;
    let succeeded = false;
    try {
      const result = await run();
      succeeded = true;
      return result;
    } finally {
      this.writesInFlight--;
      if (succeeded && alone && this.writeEvents === started) this.answers.set(key, memberAfter);
      else this.answers.delete(key);
      this.writeEvents++;
    }
  }
}

/** The store compares ids as numbers: a leave through "0123" must reach the answer for "123". */
const keyOf = (serverId: Snowflake, userId: Snowflake) => `${canonicalId(serverId)}:${canonicalId(userId)}`;
