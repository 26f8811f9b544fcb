// A node's member-list service (docs/member-list.md): mirrors of the lists its subscribers
// watch, fed by the store's sequenced changes, and the ops each subscriber is sent. Ops are
// queued per subscriber and sent together every `flushMs` (one `members:list` per subscriber
// and server per flush, whatever the churn); a SYNC is sent at once. In large servers the hub
// also says who hears a member's presence and member events: the subscribers whose ranges hold
// the member's row before or after the change.
import { opsForEdit, syncOps } from "../../lib/domain/member-list/project-ops";
import { SortedMemberList } from "../../lib/domain/member-list/sorted-member-list";
import { isLargeServer, type MemberListChange, type MemberListOp, type MemberListUpdate, type RowRange, type SequencedChange } from "../../lib/domain/member-list/types";
import type { Member, PresenceStatus } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import type { Logger } from "../../lib/logger";
import type { MemberListStore } from "../../lib/ports/member-list-store";
import { Mirror, type Subscriber, type Subscription } from "./mirror";

export type { Subscriber } from "./mirror";

/** Where the hub's output goes (the gateway: sockets by id). Must not throw. */
export interface HubOutput {
  list(subscriberId: string, update: MemberListUpdate): void;
  /** Large servers only: the subscribers that hear a user's new status. */
  presence(subscriberIds: string[], change: { userId: Snowflake; status: PresenceStatus; at: number }): void;
  memberAdd(subscriberIds: string[], payload: { serverId: Snowflake; member: Member }): void;
  memberRemove(subscriberIds: string[], payload: { serverId: Snowflake; userId: Snowflake }): void;
}

export interface HubOptions {
  flushMs?: number;
  /** How often each mirror checks that its list still exists in the store (Redis restarted). */
  checkEveryMs?: number;
}

export class MemberListHub {
  private readonly mirrors = new Map<Snowflake, Mirror>();
  /** Ops waiting for the next flush, per subscriber and server. */
  private readonly queued = new Map<string, Map<Snowflake, MemberListOp[]>>();
  private flushTimer?: NodeJS.Timeout;
  private checkTimer?: NodeJS.Timeout;
  private unwatch?: () => void;
  private readonly flushMs: number;

  constructor(
    private readonly store: MemberListStore,
    private readonly load: (serverId: Snowflake) => Promise<Member[]>,
    private readonly out: HubOutput,
    private readonly log: Logger,
    private readonly options: HubOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 100;
  }

  async start(): Promise<void> {
    this.unwatch = await this.store.watch(
      (change) => this.hear(change),
      () => this.resyncAll("the change feed was cut"),
    );
    this.checkTimer = setInterval(() => void this.checkEpochs(), this.options.checkEveryMs ?? 10_000);
    this.checkTimer.unref();
  }

  /** Replaces the subscriber's ranges in this server (none: unsubscribes) and sends their SYNC. */
  async subscribe(subscriber: Subscriber, serverId: Snowflake, ranges: RowRange[]): Promise<void> {
    if (ranges.length === 0) return this.unsubscribe(subscriber.id, serverId);
    const mirror = this.mirrors.get(serverId) ?? this.openMirror(serverId);
    mirror.subscribe(subscriber, ranges);
    await mirror.loading;
    const subscription = mirror.subscriptions.get(subscriber.id);
    // Unsubscribed or subscribed again meanwhile: that call sends (or not) what holds.
    if (subscription?.ranges !== ranges || this.mirrors.get(serverId) !== mirror) return;
    this.sendSync(mirror, subscription);
  }

  /** Ends a subscriber's subscriptions: in one server, or everywhere (it disconnected). */
  unsubscribe(subscriberId: string, serverId?: Snowflake): void {
    const mirrors = serverId === undefined ? [...this.mirrors.values()] : [this.mirrors.get(serverId)].filter((m) => m !== undefined);
    for (const mirror of mirrors) {
      mirror.unsubscribe(subscriberId);
      this.queued.get(subscriberId)?.delete(mirror.serverId);
      if (mirror.subscriptions.size === 0) this.mirrors.delete(mirror.serverId);
    }
    if (this.queued.get(subscriberId)?.size === 0) this.queued.delete(subscriberId);
  }

  /** Mirrors and subscribers (tests and metrics). */
  stats(): { mirrors: number; subscriptions: number } {
    let subscriptions = 0;
    for (const m of this.mirrors.values()) subscriptions += m.subscriptions.size;
    return { mirrors: this.mirrors.size, subscriptions };
  }

  /** Sends every queued op now. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const queued = [...this.queued];
    this.queued.clear();
    for (const [subscriberId, byServer] of queued) {
      for (const [serverId, ops] of byServer) {
        const mirror = this.mirrors.get(serverId);
        if (mirror) this.out.list(subscriberId, updateOf(mirror, ops));
      }
    }
  }

  close(): void {
    this.unwatch?.();
    clearInterval(this.checkTimer);
    clearTimeout(this.flushTimer);
    this.mirrors.clear();
    this.queued.clear();
  }

  private openMirror(serverId: Snowflake): Mirror {
    const mirror = new Mirror(serverId);
    this.mirrors.set(serverId, mirror);
    mirror.loading = this.reload(mirror).finally(() => (mirror.loading = undefined));
    return mirror;
  }

  /** Takes a snapshot, then the changes heard meanwhile that it does not hold. */
  private async reload(mirror: Mirror): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const snapshot = await this.store.snapshot(mirror.serverId, () => this.load(mirror.serverId));
        mirror.list = new SortedMemberList(snapshot.members);
        mirror.epoch = snapshot.epoch;
        mirror.seq = snapshot.seq;
        const heard = mirror.buffered.splice(0);
        for (const change of heard) if (change.epoch === mirror.epoch && change.seq > mirror.seq) this.applyInOrder(mirror, change);
        return;
      } catch (err) {
        this.log.warn({ err, serverId: mirror.serverId, attempt }, "could not load a member list");
        if (this.mirrors.get(mirror.serverId) !== mirror) return;
        // Until it loads, nobody's rows are kept up to date: say so (a SYNC follows once it does).
        if (attempt === 1) for (const s of mirror.subscriptions.values()) this.out.list(s.subscriber.id, updateOf(mirror, s.ranges.map((range) => ({ op: "INVALIDATE", range }))));
        await new Promise((r) => setTimeout(r, Math.min(attempt * 500, 5_000)));
      }
    }
  }

  private hear(change: SequencedChange): void {
    const mirror = this.mirrors.get(change.serverId);
    if (!mirror) return;
    if (mirror.loading) {
      mirror.buffered.push(change);
      return;
    }
    try {
      this.applyInOrder(mirror, change);
    } catch (err) {
      this.log.warn({ err, serverId: change.serverId }, "member-list change failed");
      this.resync(mirror);
    }
  }

  private applyInOrder(mirror: Mirror, change: SequencedChange): void {
    if (change.epoch === mirror.epoch && change.seq <= mirror.seq) return; // heard already
    if (change.epoch !== mirror.epoch || change.seq !== mirror.seq + 1) {
      this.resync(mirror);
      return;
    }
    mirror.seq = change.seq;
    this.applyChange(mirror, change.change);
  }

  private applyChange(mirror: Mirror, change: MemberListChange): void {
    const { list, serverId } = mirror;
    const { before, after } = list.apply(change, (edit) => {
      for (const subscription of mirror.reachedBy(edit.index, edit.kind !== "update")) {
        const ops = opsForEdit(subscription.ranges, edit, list);
        if (ops.length > 0) this.queue(subscription.subscriber.id, serverId, ops);
      }
    });
    if (change.type === "leave") this.endSubscriptionsOf(mirror, change.userId);
    if (!isLargeServer(list.memberCount) || (before === -1 && after === -1)) return;
    const heard = (index: number) => mirror.holders(index).map((s) => s.subscriber.id);
    if (change.type === "status" && before !== -1) {
      const ids = [...new Set([...heard(before), ...heard(after)])];
      if (ids.length > 0) this.out.presence(ids, { userId: change.userId, status: change.status, at: change.at ?? 0 });
    } else if (change.type === "join" && before === -1) {
      const ids = heard(after);
      if (ids.length > 0) this.out.memberAdd(ids, { serverId, member: change.member });
    } else if (change.type === "leave") {
      const ids = heard(before);
      if (ids.length > 0) this.out.memberRemove(ids, { serverId, userId: change.userId });
    }
  }

  /** A member who left no longer watches the server's list. */
  private endSubscriptionsOf(mirror: Mirror, userId: Snowflake) {
    for (const s of [...mirror.subscriptions.values()]) if (s.subscriber.userId === userId) this.unsubscribe(s.subscriber.id, mirror.serverId);
  }

  private queue(subscriberId: string, serverId: Snowflake, ops: MemberListOp[]): void {
    let byServer = this.queued.get(subscriberId);
    if (!byServer) this.queued.set(subscriberId, (byServer = new Map()));
    const list = byServer.get(serverId);
    if (list) list.push(...ops);
    else byServer.set(serverId, ops);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.flushMs);
      this.flushTimer.unref();
    }
  }

  private sendSync(mirror: Mirror, subscription: Subscription): void {
    this.queued.get(subscription.subscriber.id)?.delete(mirror.serverId);
    this.out.list(subscription.subscriber.id, updateOf(mirror, syncOps(subscription.ranges, mirror.list)));
  }

  /** The mirror missed changes: load it again, then every subscriber gets a fresh SYNC. */
  private resync(mirror: Mirror): void {
    if (mirror.loading) return;
    mirror.loading = this.reload(mirror).finally(() => {
      mirror.loading = undefined;
      if (this.mirrors.get(mirror.serverId) === mirror) for (const s of mirror.subscriptions.values()) this.sendSync(mirror, s);
    });
  }

  private resyncAll(why: string): void {
    if (this.mirrors.size > 0) this.log.info({ why, mirrors: this.mirrors.size }, "reloading member lists");
    for (const mirror of this.mirrors.values()) this.resync(mirror);
  }

  private async checkEpochs(): Promise<void> {
    for (const mirror of [...this.mirrors.values()]) {
      if (mirror.loading) continue;
      try {
        if ((await this.store.epochOf(mirror.serverId)) !== mirror.epoch) this.resync(mirror);
      } catch (err) {
        this.log.debug({ err }, "member-list epoch check failed");
      }
    }
  }
}

function updateOf(mirror: Mirror, ops: MemberListOp[]): MemberListUpdate {
  const { list } = mirror;
  return { serverId: mirror.serverId, memberCount: list.memberCount, onlineCount: list.onlineCount, groups: list.groups(), ops };
}
