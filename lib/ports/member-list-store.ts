import type { Member } from "../domain/types";
import type { MemberListChange, MemberListSnapshot, SequencedChange } from "../domain/member-list/types";
import type { Snowflake } from "../ids/snowflake";

/**
 * The member lists of the servers someone watches (docs/member-list.md): one authoritative copy
 * per server (in memory, or in Redis for every node), with its changes in one sequence.
 *
 * - `apply` records a change of a kept list and announces it to every watcher, on every node,
 *   in sequence order; a list nobody keeps ignores it (the first `snapshot` builds it).
 * - `snapshot` returns a kept list, or builds it from `load` (metadata and presence) while
 *   recording the changes that happen meanwhile, then replays them over what `load` read:
 *   changes state new values, so one already reflected in the load is harmless.
 * - A watcher that sees a gap in `seq`, a new `epoch`, or `onGap` (its feed was cut) takes a new
 *   snapshot. Announcements are best effort; the sequence makes a loss visible.
 */
export interface MemberListStore {
  /** Never throws: a change it cannot record (Redis away) is logged, and the list misses it. */
  apply(serverId: Snowflake, change: MemberListChange): Promise<void>;
  snapshot(serverId: Snowflake, load: () => Promise<Member[]>): Promise<MemberListSnapshot>;
  /** Resolves once the feed is live: a snapshot taken afterwards misses nothing. */
  watch(listener: (change: SequencedChange) => void, onGap?: () => void): Promise<() => void>;
  /** The epoch of a kept list, or null: a watcher notices a list lost under it (Redis restarted). */
  epochOf(serverId: Snowflake): Promise<string | null>;
  close(): Promise<void>;
}
