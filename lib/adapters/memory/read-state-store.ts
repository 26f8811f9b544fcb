// Read markers for a single process (tests, experiments); the database one is the default.
import { compareIds, type Snowflake } from "../../ids/snowflake";
import type { ReadState, ReadStateStore } from "../../ports/read-state-store";

export class MemoryReadStateStore implements ReadStateStore {
  private readonly byUser = new Map<Snowflake, Map<Snowflake, Snowflake>>();

  async markRead(userId: Snowflake, channelId: Snowflake, lastReadId: Snowflake) {
    // No await between the read and the write: concurrent calls cannot interleave.
    const channels = this.byUser.get(userId) ?? new Map<Snowflake, Snowflake>();
    this.byUser.set(userId, channels);
    const current = channels.get(channelId);
    if (current !== undefined && compareIds(current, lastReadId) >= 0) return { lastReadId: current, advanced: false };
    channels.set(channelId, lastReadId);
    return { lastReadId, advanced: true };
  }

  async listForUser(userId: Snowflake): Promise<ReadState[]> {
    return [...(this.byUser.get(userId) ?? new Map<Snowflake, Snowflake>())].map(([channelId, lastReadId]) => ({ channelId, lastReadId }));
  }
}
