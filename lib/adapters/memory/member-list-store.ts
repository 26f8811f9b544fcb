// The member lists of one process (the embedded default): kept in memory, announced to this
// process's watchers synchronously, in order.
import { randomUUID } from "node:crypto";
import type { Member } from "../../domain/types";
import { applyToRows } from "../../domain/member-list/member-rows";
import type { MemberListChange, MemberListSnapshot, SequencedChange } from "../../domain/member-list/types";
import type { Snowflake } from "../../ids/snowflake";
import type { MemberListStore } from "../../ports/member-list-store";

interface KeptList {
  epoch: string;
  seq: number;
  rows: Map<Snowflake, Member>;
}

interface Build {
  /** Changes recorded while `load` runs, replayed over what it read. */
  pending: MemberListChange[];
  done: Promise<KeptList>;
}

export class MemoryMemberListStore implements MemberListStore {
  private readonly lists = new Map<Snowflake, KeptList>();
  private readonly builds = new Map<Snowflake, Build>();
  private readonly listeners = new Set<(change: SequencedChange) => void>();

  async apply(serverId: Snowflake, change: MemberListChange): Promise<void> {
    const list = this.lists.get(serverId);
    if (!list) {
      this.builds.get(serverId)?.pending.push(change);
      return;
    }
    if (!applyToRows(list.rows, change)) return;
    const sequenced: SequencedChange = { serverId, epoch: list.epoch, seq: ++list.seq, change };
    for (const listener of this.listeners) {
      try {
        listener(sequenced);
      } catch {
        // A watcher's failure is its own (it logs); the others still hear the change.
      }
    }
  }

  async snapshot(serverId: Snowflake, load: () => Promise<Member[]>): Promise<MemberListSnapshot> {
    const list = this.lists.get(serverId) ?? (await this.build(serverId, load));
    return { epoch: list.epoch, seq: list.seq, members: [...list.rows.values()] };
  }

  async watch(listener: (change: SequencedChange) => void): Promise<() => void> {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async epochOf(serverId: Snowflake): Promise<string | null> {
    return this.lists.get(serverId)?.epoch ?? null;
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private build(serverId: Snowflake, load: () => Promise<Member[]>): Promise<KeptList> {
    const running = this.builds.get(serverId);
    if (running) return running.done;
    const pending: MemberListChange[] = [];
    const done = (async () => {
      try {
        const rows = new Map((await load()).map((m) => [m.user.id, m] as const));
        for (const change of pending) applyToRows(rows, change);
        const list: KeptList = { epoch: randomUUID(), seq: 0, rows };
        this.lists.set(serverId, list);
        return list;
      } finally {
        this.builds.delete(serverId);
      }
    })();
    this.builds.set(serverId, { pending, done });
    return done;
  }
}
