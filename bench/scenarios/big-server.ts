// big-server (issue 11): one server of `bigMembers` members, one connection each, connecting
// as fast as the machine allows; then `bigWatchers` extra connections of members subscribe to
// member-list blocks spread over the list, and `bigChangeShare` of the members change status
// every second for `bigDuration` s. Figures: connect time, presence/member frames per connection
// during the connect storm, frames per status change (presence:update and members:list apart,
// also per watcher holding the member's row), watcher SYNC latency, server CPU and RSS, and
// whether two watchers' copies equal a fresh SYNC. A build without members:subscribe still runs
// (watchers then only count presence frames; SYNC figures are n/a).
import type { BigServerClient, BigServerCommand, CopyCheck, FrameCounts, FramesReport, StatusReport, SubscribeReport } from "../lib/big-server-protocol";
import type { BenchOptions } from "../lib/options";
import { seededPopulation, type Seeding } from "../lib/population";
import { mib } from "../lib/report";
import type { Target } from "../lib/targets";
import { deal, WorkerPool } from "../lib/workers";
import { FILES_PER_PROCESS } from "./connections";

const MEMBER_LIST_BLOCK = 100;
/** Longer than the presence window (1 s) plus the member-list flush (100 ms): held frames arrive. */
const SETTLE_MS = 2_500;

type Pool = WorkerPool<BigServerCommand>;

interface SyncLatency {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface BigServerFigures {
  target: string;
  members: number;
  watchers: number;
  seeding?: Seeding;
  connect: { opened: number; failed: number; errors: string[]; seconds: number; perSecond: number };
  /** Frames the members' connections got from the first connect until the storm settled. */
  storm: FrameCounts & { perConnection: number; presencePerConnection: number; cpuSeconds: number; rssMiB: number };
  /** The first subscribe of every watcher at once (the gateway loads its mirror of the list), then a second round. */
  sync: { supported: boolean; acked: number; refused: number; errors: string[] } & SyncLatency;
  syncWarm?: SyncLatency;
  status: StatusReport & { invisible: boolean; member: FrameCounts; watcher: FrameCounts; holdingPairs: number; cpuSeconds: number; cpuUtilization: number; seconds: number };
  copies: CopyCheck;
  rssEndMiB: number;
  rssByNodeMiB: Array<{ label: string; rssMiB: number }>;
  aliveAtEnd: number;
}

export async function bigServerOn(target: Target, o: BenchOptions, gatewayProcesses: number): Promise<BigServerFigures> {
  if (target.kind !== "parley") throw new Error("big-server runs against Parley only");
  const connections = o.bigMembers + o.bigWatchers;
  if (connections / gatewayProcesses > FILES_PER_PROCESS - 1_000)
    throw new Error(`${connections} connections over ${gatewayProcesses} gateway process(es) exceed ${FILES_PER_PROCESS - 1_000} open files each: run with --redis --nodes 2`);
  const pop = await seededPopulation(target, o.bigMembers, o.bigMembers, { restart: !o.reuseServer });
  const serverId = pop.servers[0]!.id;
  const { members, watchers } = specs(pop.clients, o.bigWatchers, target.gatewayUrls);
  const pool = WorkerPool.start<BigServerCommand>(Math.max(o.workers, Math.ceil(connections / 6_000)), "big-server-worker.ts");
  try {
    await sleep(2_000); // let the fresh server settle
    const before = await statsOf(target);
    const storm = await connectAll(pool, members, o.bigConnectConcurrency);
    if (storm.failed > 0) console.warn(`  ${storm.failed} member connections failed: ${storm.errors.join("; ")}`);
    await sleep(SETTLE_MS);
    const stormFrames = await frames(pool, true);
    const afterStorm = await statsOf(target);
    // Printed now as well: a build that sends every status change to every member may not survive what follows.
    const m = stormFrames.member;
    console.log(`  storm: ${storm.opened} online in ${(storm.elapsedMs / 1000).toFixed(1)} s; per connection ${(m.presence / Math.max(1, storm.opened)).toFixed(1)} presence:update, ${((m.memberAdd + m.memberRemove + m.list) / Math.max(1, storm.opened)).toFixed(2)} member:add/remove + members:list; server CPU ${(afterStorm.cpuSeconds - before.cpuSeconds).toFixed(1)} s`);

    const watching = await connectAll(pool, watchers, 10);
    if (watching.failed > 0) console.warn(`  ${watching.failed} watcher connections failed: ${watching.errors.join("; ")}`);
    await sleep(1_000);
    const subscribed = merge(await pool.all<SubscribeReport>(() => ({ op: "subscribe", serverId, timeoutMs: 15_000 }), 60_000));
    const supported = subscribed.acked > 0;
    if (!supported) console.warn(`  members:subscribe not answered (${subscribed.errors.join(", ")}): watchers only count presence frames`);
    await sleep(1_000);
    // Again, now that the gateway's mirror of the list is loaded: the first round waited for it.
    const warm = supported ? merge(await pool.all<SubscribeReport>(() => ({ op: "subscribe", serverId, timeoutMs: 15_000 }), 60_000)) : undefined;
    await sleep(1_000);
    await frames(pool, true); // the SYNCs are not part of the status changes' cost

    const beforeStatus = await statsOf(target);
    const t0 = performance.now();
    const rate = (o.bigMembers * o.bigChangeShare) / pool.size;
    const reports = await pool.all<StatusReport>(() => ({ op: "status", plan: { rate, durationMs: o.bigDuration * 1000, invisible: o.bigInvisible } }), o.bigDuration * 1000 + 120_000);
    await sleep(SETTLE_MS);
    const statusSeconds = (performance.now() - t0) / 1000;
    const statusFrames = await frames(pool, true);
    const end = await statsOf(target);
    const changed = reports.flatMap((r) => r.changedUserIds);
    const holding = await pool.all<{ pairs: number }>(() => ({ op: "holding", userIds: changed }), 60_000);
    const copies = supported ? sumCopies(await pool.all<CopyCheck>((w) => ({ op: "check-copies", serverId, count: w.index < 2 ? 1 : 0, timeoutMs: 10_000 }), 60_000)) : { checked: 0, matched: 0 };
    const alive = await pool.all<{ open: number }>(() => ({ op: "alive" }), 30_000);
    const memberFrames = stormFrames.member;
    const stormTotal = memberFrames.presence + memberFrames.memberAdd + memberFrames.memberRemove + memberFrames.list;
    const cpuSeconds = end.cpuSeconds - beforeStatus.cpuSeconds;
    return {
      target: target.label,
      members: o.bigMembers,
      watchers: watching.opened,
      seeding: pop.seeding,
      connect: { opened: storm.opened, failed: storm.failed, errors: storm.errors, seconds: storm.elapsedMs / 1000, perSecond: storm.opened / (storm.elapsedMs / 1000) },
      storm: {
        ...memberFrames,
        perConnection: stormTotal / Math.max(1, storm.opened),
        presencePerConnection: memberFrames.presence / Math.max(1, storm.opened),
        cpuSeconds: afterStorm.cpuSeconds - before.cpuSeconds,
        rssMiB: mib(afterStorm.rssBytes),
      },
      sync: { supported, acked: subscribed.acked, refused: subscribed.refused, errors: subscribed.errors, ...percentiles(subscribed.syncMs) },
      syncWarm: warm && percentiles(warm.syncMs),
      status: {
        attempted: reports.reduce((s, r) => s + r.attempted, 0),
        acked: reports.reduce((s, r) => s + r.acked, 0),
        failures: Object.fromEntries(reports.flatMap((r) => Object.entries(r.failures))),
        changedUserIds: [],
        groupMoves: reports.reduce((s, r) => s + r.groupMoves, 0),
        invisible: o.bigInvisible,
        member: statusFrames.member,
        watcher: statusFrames.watcher,
        holdingPairs: holding.reduce((s, h) => s + h.pairs, 0),
        cpuSeconds,
        cpuUtilization: cpuSeconds / statusSeconds,
        seconds: statusSeconds,
      },
      copies,
      rssEndMiB: mib(end.rssBytes),
      rssByNodeMiB: end.perNode.map((n) => ({ label: n.label, rssMiB: mib(n.rssBytes) })),
      aliveAtEnd: alive.reduce((s, a) => s + a.open, 0),
    };
  } finally {
    await pool.close();
  }
}

/**
 * Members keep their seeded order; watchers are extra connections of members spread evenly over
 * the population (those members never change status, so no watcher hears its own user), each
 * watching one block of rows, the blocks spread over the whole list ([0, 99] included).
 */
function specs(clients: Array<Omit<BigServerClient, "role">>, watcherCount: number, urls: string[]) {
  const watcherIndexes = new Set(Array.from({ length: watcherCount }, (_, w) => Math.floor((w * clients.length) / watcherCount)));
  // Shuffled: the workers change statuses in this order, so the changed rows spread over the
  // whole list (in seeded order, consecutive users sit in adjacent rows and batch together).
  const members = shuffled(clients.map((c, i): BigServerClient => ({ ...c, role: "member", changes: !watcherIndexes.has(i) })));
  // Every member is online: one header row, then the members.
  const blocks = Math.ceil((clients.length + 1) / MEMBER_LIST_BLOCK);
  const watchers: BigServerClient[] = [...watcherIndexes].map((i, w) => {
    const start = Math.floor((w * blocks) / watcherCount) * MEMBER_LIST_BLOCK;
    return { ...clients[i]!, url: urls[(i + 1) % urls.length]!, role: "watcher", ranges: [[start, start + MEMBER_LIST_BLOCK - 1]] };
  });
  return { members, watchers };
}

async function connectAll(pool: Pool, clients: BigServerClient[], concurrency: number) {
  const shares = deal(clients, pool.size);
  const reports = await pool.all<{ opened: number; failed: number; errors: string[]; elapsedMs: number }>(
    (w) => ({ op: "connect", clients: shares[w.index]!, concurrency, timeoutMs: 60_000 }),
    30 * 60_000,
  );
  return {
    opened: reports.reduce((s, r) => s + r.opened, 0),
    failed: reports.reduce((s, r) => s + r.failed, 0),
    errors: reports.flatMap((r) => r.errors).slice(0, 5),
    elapsedMs: Math.max(...reports.map((r) => r.elapsedMs)),
  };
}

async function frames(pool: Pool, reset: boolean): Promise<FramesReport> {
  const reports = await pool.all<FramesReport>(() => ({ op: "frames", reset }), 30_000);
  const add = (role: "member" | "watcher"): FrameCounts => ({
    presence: reports.reduce((s, r) => s + r[role].presence, 0),
    memberAdd: reports.reduce((s, r) => s + r[role].memberAdd, 0),
    memberRemove: reports.reduce((s, r) => s + r[role].memberRemove, 0),
    list: reports.reduce((s, r) => s + r[role].list, 0),
  });
  return {
    connections: { member: reports.reduce((s, r) => s + r.connections.member, 0), watcher: reports.reduce((s, r) => s + r.connections.watcher, 0) },
    member: add("member"),
    watcher: add("watcher"),
  };
}

const merge = (reports: SubscribeReport[]): SubscribeReport => ({
  acked: reports.reduce((s, r) => s + r.acked, 0),
  refused: reports.reduce((s, r) => s + r.refused, 0),
  errors: [...new Set(reports.flatMap((r) => r.errors))].slice(0, 5),
  syncMs: reports.flatMap((r) => r.syncMs),
});

const sumCopies = (checks: CopyCheck[]): CopyCheck => ({
  checked: checks.reduce((s, c) => s + c.checked, 0),
  matched: checks.reduce((s, c) => s + c.matched, 0),
  difference: checks.find((c) => c.difference)?.difference,
});

/** Nearest-rank percentiles of a few hundred samples at most. */
function percentiles(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN);
  return { count: sorted.length, p50: at(50), p99: at(99), max: sorted.at(-1) ?? Number.NaN };
}

/** The servers' figures; a server still busy with a backlog of frames may answer /metrics late (10 s each try). */
async function statsOf(target: Target) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await target.stats();
    } catch (err) {
      if (attempt >= 6) throw err;
      console.warn(`  /metrics not answered (${err instanceof Error ? err.message : err}), trying again`);
    }
  }
}

/** A fixed-seed Fisher-Yates shuffle (mulberry32), so every run changes the same pattern of rows. */
function shuffled<T>(items: T[], seed = 11): T[] {
  const out = [...items];
  let t = seed;
  const random = () => {
    t = (t + 0x6d2b79f5) | 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
