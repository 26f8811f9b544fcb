// One node's copy of one server's member list, with the node's subscribers to it, indexed by
// the 100-row blocks their ranges lie in: an edit reaches only the subscribers it can touch
// (an update: those of its block; an insert or delete: those of its block and the blocks after).
import { SortedMemberList } from "../../lib/domain/member-list/sorted-member-list";
import { MEMBER_LIST_BLOCK, type RowRange, type SequencedChange } from "../../lib/domain/member-list/types";
import type { Snowflake } from "../../lib/ids/snowflake";

export interface Subscriber {
  /** Unique on this node (a socket id). */
  id: string;
  userId: Snowflake;
}

export interface Subscription {
  subscriber: Subscriber;
  ranges: RowRange[];
}

export class Mirror {
  list = new SortedMemberList();
  epoch = "";
  seq = 0;
  /** Until the first snapshot is in: changes heard meanwhile wait here. */
  loading: Promise<void> | undefined;
  buffered: SequencedChange[] = [];
  readonly subscriptions = new Map<string, Subscription>();
  private readonly byBlock = new Map<number, Set<Subscription>>();

  constructor(readonly serverId: Snowflake) {}

  subscribe(subscriber: Subscriber, ranges: RowRange[]): Subscription {
    this.unsubscribe(subscriber.id);
    const subscription = { subscriber, ranges };
    this.subscriptions.set(subscriber.id, subscription);
    for (const block of blocksOf(ranges)) {
      let set = this.byBlock.get(block);
      if (!set) this.byBlock.set(block, (set = new Set()));
      set.add(subscription);
    }
    return subscription;
  }

  unsubscribe(subscriberId: string): void {
    const subscription = this.subscriptions.get(subscriberId);
    if (!subscription) return;
    this.subscriptions.delete(subscriberId);
    for (const block of blocksOf(subscription.ranges)) {
      const set = this.byBlock.get(block);
      set?.delete(subscription);
      if (set?.size === 0) this.byBlock.delete(block);
    }
  }

  /** Subscriptions whose ranges hold row `index`. */
  holders(index: number): Subscription[] {
    if (index < 0) return [];
    return [...(this.byBlock.get(Math.floor(index / MEMBER_LIST_BLOCK)) ?? [])].filter((s) => s.ranges.some(([a, b]) => a <= index && index <= b));
  }

  /** Subscriptions an edit at `index` may touch: its block's, and for a shift every later block's too. */
  reachedBy(index: number, shifts: boolean): Set<Subscription> {
    const block = Math.floor(index / MEMBER_LIST_BLOCK);
    if (!shifts) return this.byBlock.get(block) ?? new Set();
    const out = new Set<Subscription>();
    for (const [b, set] of this.byBlock) if (b >= block) for (const s of set) out.add(s);
    return out;
  }
}

function blocksOf(ranges: RowRange[]): Set<number> {
  return new Set(ranges.map(([start]) => Math.floor(start / MEMBER_LIST_BLOCK)));
}
