import type { ChosenStatus, PresenceStatus } from "../domain/types";
import type { Snowflake } from "../ids/snowflake";

/** What others see, before and after a change; `changed` is true only for a real change. */
export interface PresenceTransition {
  before: PresenceStatus;
  after: PresenceStatus;
  changed: boolean;
  /**
   * When it happened, on the store's one clock (µs): of two changes of one user, the later has the
   * larger `at`, whichever node reports it, so announcements that cross can be put back in order.
   */
  at: number;
}

/**
 * Who is online. A user is online while at least one connection lease is alive; the status
 * they chose (online/idle/dnd/invisible) belongs to the user and outlives their connections.
 * Transitions are computed atomically so that a change is reported once, not per connection.
 */
export interface PresenceStore {
  connect(userId: Snowflake, connectionId: string): Promise<PresenceTransition>;
  disconnect(userId: Snowflake, connectionId: string): Promise<PresenceTransition>;
  /**
   * Keeps a connection's lease alive (and restores it if it was lost, e.g. after the store
   * itself restarted, which is then a real change back to online).
   */
  heartbeat(userId: Snowflake, connectionId: string): Promise<PresenceTransition>;
  setChosenStatus(userId: Snowflake, status: ChosenStatus): Promise<PresenceTransition>;
  getChosenStatus(userId: Snowflake): Promise<ChosenStatus>;
  /** How many of the user's connections hold a live lease (every node); 0 when it cannot tell. */
  liveConnections(userId: Snowflake): Promise<number>;
  /** Visible statuses; users never seen are offline. */
  getStatuses(userIds: Snowflake[]): Promise<Map<Snowflake, PresenceStatus>>;
  /**
   * Ends leases that were not renewed in time (their node died) and reports the users who
   * went offline because of it. Each such change is reported to exactly one caller.
   */
  expireStale(): Promise<ExpiredPresence[]>;
}

export interface ExpiredPresence {
  userId: Snowflake;
  transition: PresenceTransition;
}
