// ReadStateStore on PostgreSQL/PGlite: one upsert whose update only fires for a newer id, so
// the marker never moves backwards, whatever order concurrent tabs write in.
import { and, eq, lt } from "drizzle-orm";
import type { Snowflake } from "../../ids/snowflake";
import type { ReadState, ReadStateStore } from "../../ports/read-state-store";
import type { Db } from "./client";
import { readStates } from "./schema";

export class DrizzleReadStateStore implements ReadStateStore {
  constructor(private readonly db: Db) {}

  async markRead(userId: Snowflake, channelId: Snowflake, lastReadId: Snowflake) {
    const key = { userId: BigInt(userId), channelId: BigInt(channelId) };
    const [written] = await this.db
      .insert(readStates)
      .values({ ...key, lastReadId: BigInt(lastReadId), updatedAt: new Date() })
      .onConflictDoUpdate({
        target: [readStates.userId, readStates.channelId],
        set: { lastReadId: BigInt(lastReadId), updatedAt: new Date() },
        setWhere: lt(readStates.lastReadId, BigInt(lastReadId)),
      })
      .returning({ lastReadId: readStates.lastReadId });
    if (written) return { lastReadId: written.lastReadId.toString(), advanced: true };
    // The stored marker was already as new or newer: report it as it stands.
    const [current] = await this.db
      .select({ lastReadId: readStates.lastReadId })
      .from(readStates)
      .where(and(eq(readStates.userId, key.userId), eq(readStates.channelId, key.channelId)))
      .limit(1);
    return { lastReadId: current?.lastReadId.toString() ?? lastReadId, advanced: false };
  }

  async listForUser(userId: Snowflake): Promise<ReadState[]> {
    const rows = await this.db
      .select({ channelId: readStates.channelId, lastReadId: readStates.lastReadId })
      .from(readStates)
      .where(eq(readStates.userId, BigInt(userId)));
    return rows.map((r) => ({ channelId: r.channelId.toString(), lastReadId: r.lastReadId.toString() }));
  }
}
