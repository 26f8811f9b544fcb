// One node's copy of one server's member list and the node's subscribers to it. Subscribers
// that watch the same ranges share a group: an edit's ops are worked out once per group and
// sent in one frame to all of them (a big server's watchers mostly watch its first block).
// Groups are indexed by the 100-row blocks their ranges lie in, so an edit reaches only the
// groups it can touch (an update: its block's; an insert or delete: its block's and later ones).
import { SortedMemberList } from "../../lib/domain/member-list/sorted-member-list";
import { MEMBER_LIST_BLOCK, type MemberListOp, type RowRange, type SequencedChange } from "../../lib/domain/member-list/types";
import type { Snowflake } from "../../lib/ids/snowflake";

export interface Subscriber {
  /** Unique on this node (a socket id). */
  id: string;
  userId: Snowflake;
}

export interface GroupMember {
  subscriber: Subscriber;
  /** How many of the group's queued ops this subscriber's SYNC already held (it gets the rest). */
  synced: number;
}

export interface RangeGroup {
  ranges: RowRange[];
  members: Map<string, GroupMember>;
  /** Ops since the last flush, for every member (from its `synced` on). */
  queued: MemberListOp[];
}

export class Mirror {
  list = new SortedMemberList();
  epoch = "";
  seq = 0;
  /** Until a snapshot is in: changes heard meanwhile wait in `buffered`. */
  loading: Promise<void> | undefined;
  buffered: SequencedChange[] = [];
  /** When the last subscriber left (the copy is kept a while for the next one). */
  idleSince: number | undefined;
  readonly groups = new Map<string, RangeGroup>();
  private readonly groupOf = new Map<string, RangeGroup>();
  private readonly byBlock = new Map<number, Set<RangeGroup>>();

  constructor(readonly serverId: Snowflake) {}

  get subscriberCount(): number {
    return this.groupOf.size;
  }

  subscribe(subscriber: Subscriber, ranges: RowRange[]): RangeGroup {
    this.unsubscribe(subscriber.id);
    const key = keyOf(ranges);
    let group = this.groups.get(key);
    if (!group) {
      group = { ranges, members: new Map(), queued: [] };
      this.groups.set(key, group);
      for (const block of blocksOf(ranges)) {
        let set = this.byBlock.get(block);
        if (!set) this.byBlock.set(block, (set = new Set()));
        set.add(group);
      }
    }
    group.members.set(subscriber.id, { subscriber, synced: group.queued.length });
    this.groupOf.set(subscriber.id, group);
    this.idleSince = undefined;
    return group;
  }

  unsubscribe(subscriberId: string): void {
    const group = this.groupOf.get(subscriberId);
    if (!group) return;
    this.groupOf.delete(subscriberId);
    group.members.delete(subscriberId);
    if (group.members.size === 0) {
      this.groups.delete(keyOf(group.ranges));
      for (const block of blocksOf(group.ranges)) {
        const set = this.byBlock.get(block);
        set?.delete(group);
        if (set?.size === 0) this.byBlock.delete(block);
      }
    }
    if (this.groupOf.size === 0) this.idleSince = Date.now();
  }

  groupFor(subscriberId: string): RangeGroup | undefined {
    return this.groupOf.get(subscriberId);
  }

  /** Subscribers whose ranges hold row `index`. */
  holders(index: number): string[] {
    if (index < 0) return [];
    const out: string[] = [];
    for (const group of this.byBlock.get(Math.floor(index / MEMBER_LIST_BLOCK)) ?? []) {
      if (group.ranges.some(([a, b]) => a <= index && index <= b)) for (const id of group.members.keys()) out.push(id);
    }
    return out;
  }

  /** Groups an edit at `index` may touch: its block's, and for a shift every later block's too. */
  reachedBy(index: number, shifts: boolean): Iterable<RangeGroup> {
    const block = Math.floor(index / MEMBER_LIST_BLOCK);
    if (!shifts) return this.byBlock.get(block) ?? [];
    const out = new Set<RangeGroup>();
    for (const [b, set] of this.byBlock) if (b >= block) for (const g of set) out.add(g);
    return out;
  }
}

/** Ranges as a key: the same ranges in another order are the same subscription. */
function keyOf(ranges: RowRange[]): string {
  return ranges
    .map(([s, e]) => `${s}-${e}`)
    .sort()
    .join(",");
}

function blocksOf(ranges: RowRange[]): Set<number> {
  return new Set(ranges.map(([start]) => Math.floor(start / MEMBER_LIST_BLOCK)));
}
