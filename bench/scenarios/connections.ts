// connections: many idle gateway connections; server RSS per connection, connect rate, and
// whether heartbeats keep every one of them alive for the hold time.
import { connectClients } from "../lib/fanout";
import type { BenchOptions } from "../lib/options";
import { seededPopulation, type Seeding } from "../lib/population";
import type { AliveReport } from "../lib/protocol";
import { kib, mib } from "../lib/report";
import type { Target } from "../lib/targets";
import { WorkerPool } from "../lib/workers";

/** Open files a process may hold here; a gateway process keeps some for itself. */
export const FILES_PER_PROCESS = 20_000;
const HEADROOM = 1_000;

export interface ConnectionFigures {
  target: string;
  requested: number;
  attempted: number;
  users: number;
  note?: string;
  seeding?: Seeding;
  opened: number;
  failed: number;
  errors: string[];
  connectSeconds: number;
  connectPerSecond: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  rssPerConnectionKiB: number;
  /** The same delta read again at the end of the hold, once the connect storm's garbage has had time to go. */
  rssAtEndMiB: number;
  rssPerConnectionAtEndKiB: number;
  rssByNode: Array<{ label: string; beforeMiB: number; afterMiB: number; endMiB: number }>;
  serverConnections: number;
  holdSeconds: number;
  aliveAtEnd: number;
  closedDuringHold: number;
  minPingsAnswered: number;
  serverConnectionsAtEnd: number;
}

export async function connectionsOn(target: Target, o: BenchOptions, gatewayProcesses: number): Promise<ConnectionFigures> {
  const capacity = gatewayProcesses * (FILES_PER_PROCESS - HEADROOM);
  const attempted = Math.min(o.connections, capacity);
  const note =
    attempted < o.connections
      ? `capped at ${attempted}: one process may open ${FILES_PER_PROCESS} files here; run with --redis --nodes 2 for more`
      : undefined;
  if (note) console.warn(`  ${note}`);
  const users = Math.ceil(attempted / o.connectionTabs);
  const pop = await seededPopulation(target, users, 0, { restart: !o.reuseServer, connectionsPerUser: o.connectionTabs });
  pop.clients.length = attempted;
  // Each load process stays well under its own file limit.
  const pool = WorkerPool.start(Math.max(2, Math.ceil(attempted / 6_000)));
  try {
    await new Promise((r) => setTimeout(r, 2_000)); // let the fresh server settle
    const before = await target.stats();
    const audience = await connectClients(pool, target, pop.clients, 25);
    await new Promise((r) => setTimeout(r, 2_000));
    const after = await target.stats();
    const holdEnd = performance.now() + o.hold * 1000;
    while (performance.now() < holdEnd) await new Promise((r) => setTimeout(r, Math.min(5_000, Math.max(1, holdEnd - performance.now()))));
    const alive = await pool.all<AliveReport>(() => ({ op: "alive" }), 60_000);
    const end = await target.stats();
    return {
      target: target.label,
      requested: o.connections,
      users,
      attempted,
      note,
      seeding: pop.seeding,
      opened: audience.opened,
      failed: audience.failed,
      errors: audience.errors,
      connectSeconds: audience.elapsedMs / 1000,
      connectPerSecond: audience.opened / (audience.elapsedMs / 1000),
      rssBeforeMiB: mib(before.rssBytes),
      rssAfterMiB: mib(after.rssBytes),
      rssPerConnectionKiB: kib((after.rssBytes - before.rssBytes) / Math.max(1, audience.opened)),
      rssAtEndMiB: mib(end.rssBytes),
      rssPerConnectionAtEndKiB: kib((end.rssBytes - before.rssBytes) / Math.max(1, audience.opened)),
      rssByNode: before.perNode.map((n, i) => ({
        label: n.label,
        beforeMiB: mib(n.rssBytes),
        afterMiB: mib(after.perNode[i]?.rssBytes ?? 0),
        endMiB: mib(end.perNode[i]?.rssBytes ?? 0),
      })),
      serverConnections: after.connections,
      holdSeconds: o.hold,
      aliveAtEnd: alive.reduce((s, a) => s + a.open, 0),
      closedDuringHold: alive.reduce((s, a) => s + a.closed, 0),
      minPingsAnswered: Math.min(...alive.map((a) => a.minPings)),
      serverConnectionsAtEnd: end.connections,
    };
  } finally {
    await pool.close();
  }
}
