// A node's member-list service (docs/member-list.md): mirrors of the lists its subscribers
// watch, fed by the store's sequenced changes, and the ops each subscriber is sent. Ops are
// queued per group of subscribers with the same ranges and sent every `flushMs` (one
// `members:list` per group and server per flush, whatever the churn); a SYNC is sent at once.
// In large servers the hub also says who hears a member's presence and member events
// (large-server-audience.ts).
import { opsForEdit, syncOps } from "../../lib/domain/member-list/project-ops";
import { SortedMemberList } from "../../lib/domain/member-list/sorted-member-list";
import type { MemberListOp, MemberListUpdate, RowRange, SequencedChange } from "../../lib/domain/member-list/types";
import type { Member } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import type { Logger } from "../../lib/logger";
import type { MemberListStore } from "../../lib/ports/member-list-store";
import { announceToHolders, type AudienceOutput } from "./large-server-audience";
import { Mirror, type RangeGroup, type Subscriber } from "./mirror";

export type { Subscriber } from "./mirror";

/** Where the hub's output goes (the gateway: sockets by id). Must not throw. */
export interface HubOutput extends AudienceOutput {
  list(subscriberIds: string[], update: MemberListUpdate): void;
}

export interface HubOptions {
  flushMs?: number;
  /** How often mirrors check that their list still exists in the store (Redis restarted), and idle ones are dropped. */
  checkEveryMs?: number;
  /** How long a mirror nobody watches is kept (and fed) for the next subscriber. */
  idleMs?: number;
  /** Servers one subscriber may watch at once; a subscribe beyond it ends the oldest. */
  serversPerSubscriber?: number;
}

export const SERVERS_PER_SUBSCRIBER = 3;

export class MemberListHub {
  private readonly mirrors = new Map<Snowflake, Mirror>();
  /** The servers each subscriber watches, oldest first. */
  private readonly watching = new Map<string, Set<Snowflake>>();
  /** Groups with ops waiting for the next flush. */
  private readonly dirty = new Set<{ mirror: Mirror; group: RangeGroup }>();
  private readonly dirtyGroups = new WeakSet<RangeGroup>();
  private flushTimer?: NodeJS.Timeout;
  private checkTimer?: NodeJS.Timeout;
  private unwatch?: () => void;
  private readonly flushMs: number;
  private readonly idleMs: number;
  private readonly serversPerSubscriber: number;

  constructor(
    private readonly store: MemberListStore,
    private readonly load: (serverId: Snowflake) => Promise<Member[]>,
    private readonly out: HubOutput,
    private readonly log: Logger,
    private readonly options: HubOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 100;
    this.idleMs = options.idleMs ?? 30_000;
    this.serversPerSubscriber = options.serversPerSubscriber ?? SERVERS_PER_SUBSCRIBER;
  }

  async start(): Promise<void> {
    this.unwatch = await this.store.watch(
      (change) => this.hear(change),
      () => this.resyncAll("the change feed was cut"),
    );
    this.checkTimer = setInterval(() => void this.check(), this.options.checkEveryMs ?? 10_000);
    this.checkTimer.unref();
  }

  /** Replaces the subscriber's ranges in this server (none: unsubscribes) and sends their SYNC. */
  async subscribe(subscriber: Subscriber, serverId: Snowflake, ranges: RowRange[]): Promise<void> {
    if (ranges.length === 0) return this.unsubscribe(subscriber.id, serverId);
    this.noteWatching(subscriber.id, serverId);
    const mirror = this.mirrors.get(serverId) ?? this.openMirror(serverId);
    const group = mirror.subscribe(subscriber, ranges);
    await mirror.loading;
    // Unsubscribed or subscribed again meanwhile: that call sends (or not) what holds.
    if (mirror.groupFor(subscriber.id) !== group || this.mirrors.get(serverId) !== mirror) return;
    // Left the server while the list loaded (its leave was heard before this subscription).
    if (!mirror.list.member(subscriber.userId)) return this.unsubscribe(subscriber.id, serverId);
    this.sendSync(mirror, group, [subscriber.id]);
  }

  /** Ends a subscriber's subscriptions: in one server, or everywhere (it disconnected). */
  unsubscribe(subscriberId: string, serverId?: Snowflake): void {
    const watched = this.watching.get(subscriberId);
    if (!watched) return;
    for (const id of serverId === undefined ? [...watched] : [serverId]) {
      this.mirrors.get(id)?.unsubscribe(subscriberId);
      watched.delete(id);
    }
    if (watched.size === 0) this.watching.delete(subscriberId);
  }

  /** Mirrors and subscribers (tests and metrics). */
  stats(): { mirrors: number; subscriptions: number } {
    let subscriptions = 0;
    for (const m of this.mirrors.values()) subscriptions += m.subscriberCount;
    return { mirrors: this.mirrors.size, subscriptions };
  }

  /** Sends every queued op now. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const dirty = [...this.dirty];
    this.dirty.clear();
    for (const { mirror, group } of dirty) {
      this.dirtyGroups.delete(group);
      const ops = group.queued;
      group.queued = [];
      if (this.mirrors.get(mirror.serverId) !== mirror || ops.length === 0) continue;
      const all: string[] = [];
      for (const [id, member] of group.members) {
        if (member.synced === 0) all.push(id);
        else if (member.synced < ops.length) this.out.list([id], updateOf(mirror, ops.slice(member.synced)));
        member.synced = 0;
      }
      if (all.length > 0) this.out.list(all, updateOf(mirror, ops));
    }
  }

  close(): void {
    this.unwatch?.();
    clearInterval(this.checkTimer);
    clearTimeout(this.flushTimer);
    this.mirrors.clear();
    this.watching.clear();
    this.dirty.clear();
  }

  /** A subscriber watches at most `serversPerSubscriber` servers: the oldest one ends (with an INVALIDATE). */
  private noteWatching(subscriberId: string, serverId: Snowflake) {
    let watched = this.watching.get(subscriberId);
    if (!watched) this.watching.set(subscriberId, (watched = new Set()));
    watched.delete(serverId);
    watched.add(serverId);
    for (const oldest of watched) {
      if (watched.size <= this.serversPerSubscriber) break;
      const mirror = this.mirrors.get(oldest);
      const group = mirror?.groupFor(subscriberId);
      if (mirror && group) this.out.list([subscriberId], updateOf(mirror, group.ranges.map((range) => ({ op: "INVALIDATE", range }))));
      this.unsubscribe(subscriberId, oldest);
    }
  }

  private openMirror(serverId: Snowflake): Mirror {
    const mirror = new Mirror(serverId);
    this.mirrors.set(serverId, mirror);
    this.reload(mirror);
    return mirror;
  }

  /**
   * Takes a snapshot, then the changes heard meanwhile that it does not hold; every subscriber
   * then gets a fresh SYNC (the first ones get theirs from `subscribe`).
   */
  private reload(mirror: Mirror): void {
    if (mirror.loading) return;
    // The first load's subscribers get their SYNC from `subscribe`; a reload's, from here.
    const again = mirror.epoch !== "";
    mirror.loading = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const snapshot = await this.store.snapshot(mirror.serverId, () => this.load(mirror.serverId));
          // From here to the end of the replay nothing awaits: no change can slip between.
          mirror.loading = undefined;
          mirror.list = new SortedMemberList(snapshot.members);
          mirror.epoch = snapshot.epoch;
          mirror.seq = snapshot.seq;
          for (const change of mirror.buffered.splice(0)) if (change.epoch === mirror.epoch && change.seq > mirror.seq) this.applyInOrder(mirror, change);
          if (again) for (const group of mirror.groups.values()) this.sendSync(mirror, group, [...group.members.keys()]);
          return;
        } catch (err) {
          this.log.warn({ err, serverId: mirror.serverId, attempt }, "could not load a member list");
          if (this.mirrors.get(mirror.serverId) !== mirror) return;
          // Until it loads, nobody's rows are kept up to date: say so (a SYNC follows once it does).
          if (attempt === 1) for (const group of mirror.groups.values()) this.invalidate(mirror, group);
          await new Promise((r) => setTimeout(r, Math.min(attempt * 500, 5_000)));
        }
      }
    })();
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
      this.reload(mirror);
    }
  }

  private applyInOrder(mirror: Mirror, change: SequencedChange): void {
    if (change.epoch === mirror.epoch && change.seq <= mirror.seq) return; // heard already
    if (change.epoch !== mirror.epoch || change.seq !== mirror.seq + 1) {
      this.reload(mirror);
      if (mirror.loading) mirror.buffered.push(change);
      return;
    }
    mirror.seq = change.seq;
    const { list } = mirror;
    const moved = list.apply(change.change, (edit) => {
      for (const group of mirror.reachedBy(edit.index, edit.kind !== "update")) {
        const ops = opsForEdit(group.ranges, edit, list);
        if (ops.length > 0) this.queue(mirror, group, ops);
      }
    });
    if (change.change.type === "leave") this.endSubscriptionsOf(mirror, change.change.userId);
    announceToHolders(mirror, change.change, moved, this.out);
  }

  /** A member who left no longer watches the server's list. */
  private endSubscriptionsOf(mirror: Mirror, userId: Snowflake) {
    for (const group of [...mirror.groups.values()])
      for (const { subscriber } of [...group.members.values()]) if (subscriber.userId === userId) this.unsubscribe(subscriber.id, mirror.serverId);
  }

  private queue(mirror: Mirror, group: RangeGroup, ops: MemberListOp[]): void {
    group.queued.push(...ops);
    if (!this.dirtyGroups.has(group)) {
      this.dirtyGroups.add(group);
      this.dirty.add({ mirror, group });
    }
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.flushMs);
      this.flushTimer.unref();
    }
  }

  /** A SYNC of the group's ranges to `ids`; they hold every op queued so far. */
  private sendSync(mirror: Mirror, group: RangeGroup, ids: string[]): void {
    for (const id of ids) {
      const member = group.members.get(id);
      if (member) member.synced = group.queued.length;
    }
    if (ids.length > 0) this.out.list(ids, updateOf(mirror, syncOps(group.ranges, mirror.list)));
  }

  private invalidate(mirror: Mirror, group: RangeGroup): void {
    group.queued = [];
    for (const member of group.members.values()) member.synced = 0;
    this.out.list([...group.members.keys()], updateOf(mirror, group.ranges.map((range) => ({ op: "INVALIDATE", range }))));
  }

  private resyncAll(why: string): void {
    if (this.mirrors.size > 0) this.log.info({ why, mirrors: this.mirrors.size }, "reloading member lists");
    for (const mirror of this.mirrors.values()) this.reload(mirror);
  }

  /** Drops mirrors idle for `idleMs`, and reloads those whose list the store lost. */
  private async check(): Promise<void> {
    for (const mirror of [...this.mirrors.values()]) {
      if (mirror.idleSince !== undefined && Date.now() - mirror.idleSince >= this.idleMs) {
        this.mirrors.delete(mirror.serverId);
        continue;
      }
      if (mirror.loading) continue;
      try {
        if ((await this.store.epochOf(mirror.serverId)) !== mirror.epoch) this.reload(mirror);
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
