// Presence for a single process: connections live and die with it, so no leases are needed.
import type { ChosenStatus, PresenceStatus } from "../../domain/types";
import type { Snowflake } from "../../ids/snowflake";
import type { PresenceStore, PresenceTransition } from "../../ports/presence-store";
import { visibleStatus } from "../../domain/presence";

export class MemoryPresenceStore implements PresenceStore {
  private readonly connections = new Map<Snowflake, Set<string>>();
  private readonly chosen = new Map<Snowflake, ChosenStatus>();
  private lastAt = 0;

  /** In µs like Redis's TIME, and strictly increasing: two changes in one instant still have an order. */
  private now(): number {
    this.lastAt = Math.max(Date.now() * 1000, this.lastAt + 1);
    return this.lastAt;
  }

  private status(userId: Snowflake): PresenceStatus {
    const online = (this.connections.get(userId)?.size ?? 0) > 0;
    return visibleStatus(online, this.chosen.get(userId) ?? "online");
  }

  private transition(userId: Snowflake, change: () => void): PresenceTransition {
    const before = this.status(userId);
    change();
    const after = this.status(userId);
    return { before, after, changed: before !== after, at: this.now() };
  }

  async connect(userId: Snowflake, connectionId: string) {
    return this.transition(userId, () => {
      const set = this.connections.get(userId) ?? new Set<string>();
      set.add(connectionId);
      this.connections.set(userId, set);
    });
  }

  async disconnect(userId: Snowflake, connectionId: string) {
    return this.transition(userId, () => {
      const set = this.connections.get(userId);
      set?.delete(connectionId);
      if (set && set.size === 0) this.connections.delete(userId);
    });
  }

  async heartbeat(userId: Snowflake): Promise<PresenceTransition> {
    const status = this.status(userId);
    return { before: status, after: status, changed: false, at: this.now() };
  }

  /** Connections here live and die with this process: nothing can go stale. */
  async expireStale() {
    return [];
  }

  async setChosenStatus(userId: Snowflake, status: ChosenStatus) {
    return this.transition(userId, () => this.chosen.set(userId, status));
  }

  async liveConnections(userId: Snowflake): Promise<number> {
    return this.connections.get(userId)?.size ?? 0;
  }

  async getChosenStatus(userId: Snowflake): Promise<ChosenStatus> {
    return this.chosen.get(userId) ?? "online";
  }

  async getStatuses(userIds: Snowflake[]) {
    return new Map(userIds.map((id) => [id, this.status(id)] as const));
  }
}
