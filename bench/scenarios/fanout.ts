// seed-day and hot-channel, run the same way against Parley and against the bare ws baseline.
import { account, collectDeliveries, connectClients, runPhase, type Audience, type PhaseResult } from "../lib/fanout";
import type { LatencySummary } from "../lib/histogram";
import type { BenchOptions } from "../lib/options";
import { seededPopulation, syntheticPopulation, type Seeding } from "../lib/population";
import { mib } from "../lib/report";
import type { Target } from "../lib/targets";
import { WorkerPool } from "../lib/workers";

export interface ConnectFigures {
  opened: number;
  failed: number;
  seconds: number;
  perSecond: number;
  errors: string[];
}

export interface FanoutFigures {
  target: string;
  seeding?: Seeding;
  connect: ConnectFigures;
  messages: { attempted: number; acked: number; failures: Record<string, number>; starved: number };
  sendSeconds: number;
  deliveries: number;
  deliveriesPerSecond: number;
  latency: LatencySummary;
  missing: number;
  duplicates: number;
  unacknowledgedDelivered: number;
  server: { cpuSeconds: number; cpuUtilization: number; usPerDelivery: number; deliveriesPerCoreSecond: number; rssMiB: number };
  /** seed-day: the server's CPU with every connection open and nothing sent, and each message's cost above it. */
  perMessage?: { idleCpuUtilization: number; usCpu: number; usCpuAboveIdle: number };
}

/** How long seed-day watches the server idle (connections open, nothing sent) before sending. */
const IDLE_WATCH_MS = 5_000;

const connectFigures = (a: Audience): ConnectFigures => ({
  opened: a.opened,
  failed: a.failed,
  seconds: a.elapsedMs / 1000,
  perSecond: a.opened / (a.elapsedMs / 1000),
  errors: a.errors,
});

async function population(target: Target, users: number, roomSize: number, o: BenchOptions, connectionsPerUser = 1) {
  return target.kind === "parley"
    ? seededPopulation(target, users, roomSize, { restart: !o.reuseServer, connectionsPerUser })
    : syntheticPopulation(target, users * connectionsPerUser, roomSize * connectionsPerUser);
}

/** seed-day: every user online in servers of ~serverSize, `rate` messages/s for `duration` s. */
export async function seedDayOn(target: Target, o: BenchOptions): Promise<FanoutFigures> {
  const pop = await population(target, o.users, o.serverSize, o);
  const pool = WorkerPool.start(o.workers);
  try {
    const audience = await connectClients(pool, target, pop.clients, 50);
    if (audience.opened < pop.clients.length) console.warn(`  ${audience.failed} connections failed: ${audience.errors.join("; ")}`);
    await new Promise((r) => setTimeout(r, 1_000)); // let presence announcements settle
    const idleCpuUtilization = await idleCpu(target, IDLE_WATCH_MS);
    const phase = await runPhase(pool, target, audience, {
      rate: o.rate,
      durationMs: o.duration * 1000,
      step: 0,
      seqBase: 0,
      restShare: o.restShare,
      contentLength: o.contentLength,
      drainMs: 15_000,
    });
    const acct = account([phase], audience, await collectDeliveries(pool));
    return {
      target: target.label,
      seeding: pop.seeding,
      connect: connectFigures(audience),
      messages: { attempted: phase.attempted, acked: phase.acked.length, failures: phase.failures, starved: phase.starved },
      sendSeconds: phase.sendMs / 1000,
      deliveries: acct.delivered,
      deliveriesPerSecond: acct.delivered / (phase.sendMs / 1000),
      latency: acct.latency,
      missing: acct.missing,
      duplicates: acct.duplicates,
      unacknowledgedDelivered: acct.unacknowledgedDelivered,
      server: serverFigures(phase, acct.delivered),
      perMessage: perMessageFigures(phase, idleCpuUtilization),
    };
  } finally {
    await pool.close();
  }
}

/** The server's CPU utilization over `ms` of doing nothing but holding its connections (heartbeats, timers, GC). */
async function idleCpu(target: Target, ms: number): Promise<number> {
  const before = await target.stats();
  const start = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const after = await target.stats();
  return (after.cpuSeconds - before.cpuSeconds) / ((performance.now() - start) / 1000);
}

/**
 * CPU per acknowledged message, whole and above the idle cost: the send path (auth,
 * validation, membership, nonce, rate limit, durable write, publish) plus the message's
 * deliveries. docs/performance.md says how the send path's share was read from it.
 */
function perMessageFigures(phase: PhaseResult, idleCpuUtilization: number) {
  const acked = Math.max(1, phase.acked.length);
  const aboveIdle = phase.cpuSeconds - idleCpuUtilization * (phase.wallMs / 1000);
  return { idleCpuUtilization, usCpu: (phase.cpuSeconds * 1e6) / acked, usCpuAboveIdle: (Math.max(0, aboveIdle) * 1e6) / acked };
}

function serverFigures(phase: PhaseResult, delivered: number) {
  return {
    cpuSeconds: phase.cpuSeconds,
    cpuUtilization: phase.cpuSeconds / (phase.wallMs / 1000),
    usPerDelivery: (phase.cpuSeconds * 1e6) / Math.max(1, delivered),
    deliveriesPerCoreSecond: delivered / Math.max(1e-9, phase.cpuSeconds),
    rssMiB: mib(phase.statsAfter.rssBytes),
  };
}

export interface HotStep {
  step: number;
  rate: number;
  acked: number;
  deliveriesPerSecond: number;
  latency: LatencySummary;
  missing: number;
  duplicates: number;
  failed: number;
  server: ReturnType<typeof serverFigures>;
  passed: boolean;
}

export interface HotFigures {
  target: string;
  members: number;
  connections: number;
  seeding?: Seeding;
  connect: ConnectFigures;
  steps: HotStep[];
  /** The best step with p99 under the limit and nothing missing. */
  best?: HotStep;
  stoppedBecause: string;
}

/**
 * hot-channel: one room of `hotMembers`, rates rising step by step until p99 crosses the limit.
 * `throughStep` keeps the ladder going past the p99 limit up to that step (not past missing
 * deliveries or failed sends), so the baseline is measured at every rate Parley was.
 */
export async function hotChannelOn(target: Target, o: BenchOptions, throughStep = 0): Promise<HotFigures> {
  const pop = await population(target, o.hotMembers, o.hotMembers, o, o.hotConnectionsPerMember);
  const pool = WorkerPool.start(o.workers);
  try {
    const audience = await connectClients(pool, target, pop.clients, 50);
    if (audience.opened < pop.clients.length) console.warn(`  ${audience.failed} connections failed: ${audience.errors.join("; ")}`);
    await new Promise((r) => setTimeout(r, 1_000));
    const steps: HotStep[] = [];
    let rate = o.hotStartRate;
    let seqBase = 0;
    let dupsBefore = 0;
    let stoppedBecause = `reached --hot-max-steps ${o.hotMaxSteps}`;
    // Senders rotate over every connection; keep each member at 2 messages/s or less (the limit is 5).
    const maxRate = o.hotMembers * 2;
    for (let step = 1; step <= o.hotMaxSteps; step++) {
      if (rate > maxRate) {
        stoppedBecause = `rate ${rate.toFixed(1)}/s would exceed the senders' rate limit`;
        break;
      }
      const phase = await runPhase(pool, target, audience, {
        rate,
        durationMs: o.hotStep * 1000,
        step,
        seqBase,
        restShare: o.restShare,
        contentLength: o.contentLength,
        drainMs: Math.max(5_000, o.hotStep * 1000),
      });
      seqBase = phase.nextSeq;
      const d = await collectDeliveries(pool);
      const acct = account([phase], audience, d);
      const failed = Object.values(phase.failures).reduce((s, n) => s + n, 0) + phase.starved;
      const result: HotStep = {
        step,
        rate,
        acked: phase.acked.length,
        deliveriesPerSecond: acct.delivered / (phase.sendMs / 1000),
        latency: acct.latency,
        missing: acct.missing,
        duplicates: d.duplicates - dupsBefore,
        failed,
        server: serverFigures(phase, acct.delivered),
        passed: acct.latency.p99 <= o.hotP99Ms && acct.missing === 0 && failed === 0,
      };
      dupsBefore = d.duplicates;
      steps.push(result);
      console.log(
        `  ${target.kind} step ${step}: ${rate.toFixed(1)} msg/s -> ${Math.round(result.deliveriesPerSecond)} deliveries/s, p99 ${result.latency.p99} ms, ` +
          `${Math.round(result.server.deliveriesPerCoreSecond)} deliveries/core-s${result.missing ? `, ${result.missing} missing` : ""}${failed ? `, ${failed} failed sends` : ""}`,
      );
      if (!result.passed && (step >= throughStep || result.missing > 0 || failed > 0)) {
        stoppedBecause = result.latency.p99 > o.hotP99Ms ? `p99 ${result.latency.p99} ms > ${o.hotP99Ms} ms` : `deliveries missing or sends failed`;
        break;
      }
      rate *= o.hotGrowth;
    }
    const passing = steps.filter((s) => s.passed);
    const best = passing.reduce<HotStep | undefined>((b, s) => (!b || s.deliveriesPerSecond > b.deliveriesPerSecond ? s : b), undefined);
    return { target: target.label, members: o.hotMembers, connections: audience.opened, seeding: pop.seeding, connect: connectFigures(audience), steps, best, stoppedBecause };
  } finally {
    await pool.close();
  }
}

