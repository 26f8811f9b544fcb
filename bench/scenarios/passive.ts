// passive: what passive sessions (contract v2, Focus) save. One server of `passiveMembers` ×
// `passiveTabs` connections with a busy channel and a quiet one; the same population runs twice
// at the same rate into the busy channel: (A) nobody focuses, so everyone gets every message
// (v1), then (B) `passiveShare` of the connections focus the busy channel and the rest focus
// the quiet one, so they only get coalesced channel:activity (at most one per 2 s). A connection
// stays passive for its life, hence this order. Figures: deliveries and activity frames, frames
// per connection, server CPU and CPU per message, and B / A.
import { account, collectDeliveries, connectClients, runPhase, type Audience, type PhaseResult } from "../lib/fanout";
import { mergeHistograms, summarize, type LatencySummary } from "../lib/histogram";
import { JsonClient } from "../lib/http";
import type { BenchOptions } from "../lib/options";
import { seededPopulation, type Seeding } from "../lib/population";
import type { PassiveReport } from "../lib/protocol";
import { mib } from "../lib/report";
import type { Target } from "../lib/targets";
import { WorkerPool } from "../lib/workers";

/** The server's coalescing window (server/gateway/activity-coalescer.ts). */
const ACTIVITY_WINDOW_MS = 2_000;

export interface PassiveRun {
  label: string;
  /** Connections that got messages in full: everyone in A, the focusing share in B. */
  receivers: number;
  messages: { attempted: number; acked: number; failures: Record<string, number> };
  sendSeconds: number;
  /** message:create frames of acknowledged messages, over all connections. */
  deliveries: number;
  activityFrames: number;
  framesPerConnection: number;
  latency: LatencySummary;
  missing: number;
  duplicates: number;
  server: { cpuSeconds: number; cpuUtilization: number; usPerMessage: number; rssMiB: number };
}

export interface PassiveFigures {
  target: string;
  connections: number;
  seeding?: Seeding;
  connect: { opened: number; failed: number; seconds: number };
  focus: { busy: number; quiet: number; failed: number; errors: string[] };
  everyone: PassiveRun;
  focused: PassiveRun;
  /** B's server CPU per message over A's (target ≤ 0.3). */
  cpuPerMessageRatio: number;
  /** B's completeness: the focusing connections got every acknowledged message, the others none, and activity at most once per 2 s. */
  checks: {
    focusingComplete: number;
    focusingMissing: number;
    othersMessages: number;
    focusingActivityFrames: number;
    maxActivityPerConnection: number;
    allowedActivityPerConnection: number;
    minActivityGapMs: number | null;
    shortGaps: number;
  };
  passed: boolean;
}

export async function passiveOn(target: Target, o: BenchOptions): Promise<PassiveFigures> {
  if (target.kind !== "parley") throw new Error("passive runs against Parley only: the two runs are the comparison");
  const pop = await seededPopulation(target, o.passiveMembers, o.passiveMembers, { restart: !o.reuseServer, connectionsPerUser: o.passiveTabs });
  const server = pop.servers[0]!;
  const quietChannelId = await createChannel(target, server.id, server.members[0]!.token, "quiet");
  // An evenly spread share of the connections focuses the busy channel, the rest the quiet one.
  const clients = pop.clients.map((c, i) => ({
    ...c,
    focusGroup: Math.floor((i + 1) * o.passiveShare) > Math.floor(i * o.passiveShare) ? ("busy" as const) : ("quiet" as const),
  }));
  const pool = WorkerPool.start(o.workers);
  try {
    const audience = await connectClients(pool, target, clients, 50);
    if (audience.failed > 0) console.warn(`  ${audience.failed} connections failed: ${audience.errors.join("; ")}`);
    await sleep(1_000); // let presence announcements settle
    const phase = (step: number, seqBase: number, expectedPerMessage?: number) =>
      runPhase(pool, target, audience, {
        rate: o.passiveRate,
        durationMs: o.passiveDuration * 1000,
        step,
        seqBase,
        restShare: o.restShare,
        contentLength: o.contentLength,
        drainMs: 15_000,
        expectedPerMessage,
      });

    const a = await phase(1, 0);
    const afterA = await collectDeliveries(pool);
    const acctA = account([a], audience, afterA);
    await sleep(ACTIVITY_WINDOW_MS + 500);
    const reportA = await passiveReport(pool, a);
    const everyone = run("A: nobody focuses", audience.opened, a, acctA.delivered, reportA.activityFrames, audience, acctA.latency, acctA.missing, acctA.duplicates);

    const focus = await focusAll(pool, server.channelId, quietChannelId);
    if (focus.failed > 0) console.warn(`  ${focus.failed} channels:focus calls failed: ${focus.errors.join(", ")}`);
    await sleep(ACTIVITY_WINDOW_MS + 500);

    const b = await phase(2, a.nextSeq, focus.busy);
    const afterB = await collectDeliveries(pool);
    // Trailing activity comes up to one window after the last message.
    await sleep(ACTIVITY_WINDOW_MS + 500);
    const reportB = await passiveReport(pool, b);
    const deliveredB = b.acked.reduce((n, [seq]) => n + (afterB.counts.get(seq) ?? 0), 0);
    const latencyB = summarize(mergeHistograms(afterB.histograms.get(2) ?? []));
    const focused = run(
      `B: ${Math.round(o.passiveShare * 100)} % focus the busy channel`,
      focus.busy,
      b,
      deliveredB,
      reportB.activityFrames,
      audience,
      latencyB,
      reportB.focusingMissing,
      afterB.duplicates - afterA.duplicates,
    );

    // Windows of at least 2 s from the first message to the last trailing announcement.
    const allowed = Math.floor((b.wallMs + ACTIVITY_WINDOW_MS + 500) / ACTIVITY_WINDOW_MS) + 1;
    const checks = {
      focusingComplete: reportB.focusingComplete,
      focusingMissing: reportB.focusingMissing,
      othersMessages: reportB.othersMessages,
      focusingActivityFrames: reportB.focusingActivityFrames,
      maxActivityPerConnection: reportB.maxActivityPerConnection,
      allowedActivityPerConnection: allowed,
      minActivityGapMs: reportB.minActivityGapMs,
      shortGaps: reportB.shortGaps,
    };
    const passed =
      everyone.missing === 0 &&
      everyone.duplicates === 0 &&
      everyone.messages.acked === everyone.messages.attempted &&
      focused.messages.acked === focused.messages.attempted &&
      focus.failed === 0 &&
      checks.focusingComplete === reportB.focusing &&
      focused.duplicates === 0 &&
      checks.othersMessages === 0 &&
      checks.focusingActivityFrames === 0 &&
      checks.maxActivityPerConnection <= allowed &&
      checks.shortGaps === 0;
    return {
      target: target.label,
      connections: audience.opened,
      seeding: pop.seeding,
      connect: { opened: audience.opened, failed: audience.failed, seconds: audience.elapsedMs / 1000 },
      focus,
      everyone,
      focused,
      cpuPerMessageRatio: focused.server.usPerMessage / everyone.server.usPerMessage,
      checks,
      passed,
    };
  } finally {
    await pool.close();
  }
}

function run(
  label: string,
  receivers: number,
  phase: PhaseResult,
  deliveries: number,
  activityFrames: number,
  audience: Audience,
  latency: LatencySummary,
  missing: number,
  duplicates: number,
): PassiveRun {
  const acked = phase.acked.length;
  return {
    label,
    receivers,
    messages: { attempted: phase.attempted, acked, failures: phase.failures },
    sendSeconds: phase.sendMs / 1000,
    deliveries,
    activityFrames,
    framesPerConnection: (deliveries + activityFrames) / Math.max(1, audience.opened),
    latency,
    missing,
    duplicates,
    server: {
      cpuSeconds: phase.cpuSeconds,
      cpuUtilization: phase.cpuSeconds / (phase.wallMs / 1000),
      usPerMessage: (phase.cpuSeconds * 1e6) / Math.max(1, acked),
      rssMiB: mib(phase.statsAfter.rssBytes),
    },
  };
}

async function createChannel(target: Target, serverId: string, ownerToken: string, name: string): Promise<string> {
  const api = new JsonClient(target.apiUrl, 1);
  try {
    const res = await api.post<{ id: string }>(`/api/v1/servers/${serverId}/channels`, { name }, ownerToken);
    if (res.status !== 201) throw new Error(`create channel: expected 201, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    return res.body.id;
  } finally {
    api.close();
  }
}

async function focusAll(pool: WorkerPool, busyChannelId: string, quietChannelId: string) {
  const reports = await pool.all<{ busy: number; quiet: number; failed: number; errors: string[] }>(
    () => ({ op: "focus", busyChannelId, quietChannelId }),
    120_000,
  );
  return {
    busy: reports.reduce((s, r) => s + r.busy, 0),
    quiet: reports.reduce((s, r) => s + r.quiet, 0),
    failed: reports.reduce((s, r) => s + r.failed, 0),
    errors: reports.flatMap((r) => r.errors).slice(0, 5),
  };
}

async function passiveReport(pool: WorkerPool, phase: PhaseResult): Promise<PassiveReport> {
  const acked = phase.acked.map(([seq]) => seq);
  const reports = await pool.all<PassiveReport>(() => ({ op: "passive-report", acked }), 60_000);
  const sum = (k: keyof PassiveReport) => reports.reduce((s, r) => s + ((r[k] as number) ?? 0), 0);
  const gaps = reports.map((r) => r.minActivityGapMs).filter((g): g is number => g !== null);
  return {
    focusing: sum("focusing"),
    others: sum("others"),
    focusingComplete: sum("focusingComplete"),
    focusingMissing: sum("focusingMissing"),
    othersMessages: sum("othersMessages"),
    activityFrames: sum("activityFrames"),
    focusingActivityFrames: sum("focusingActivityFrames"),
    maxActivityPerConnection: Math.max(0, ...reports.map((r) => r.maxActivityPerConnection)),
    minActivityGapMs: gaps.length ? Math.min(...gaps) : null,
    shortGaps: sum("shortGaps"),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
