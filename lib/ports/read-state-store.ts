import type { Snowflake } from "../ids/snowflake";

/** Where a user stopped reading a channel: every message up to `lastReadId` counts as read. */
export interface ReadState {
  channelId: Snowflake;
  lastReadId: Snowflake;
}

/**
 * Per-user, per-channel read markers (PostgreSQL/PGlite, or memory for a single process).
 *
 * Guarantees: a marker only moves forward. `markRead` with an id not newer than the stored one
 * changes nothing and reports `advanced: false`; concurrent calls end at the newest id, and
 * each returns the marker as it stands after its own write.
 */
export interface ReadStateStore {
  markRead(userId: Snowflake, channelId: Snowflake, lastReadId: Snowflake): Promise<{ lastReadId: Snowflake; advanced: boolean }>;
  /** Every marker the user has, in no particular order. */
  listForUser(userId: Snowflake): Promise<ReadState[]>;
}
