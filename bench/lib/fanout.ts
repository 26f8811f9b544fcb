// The fan-out engine shared by seed-day, hot-channel and the baseline: connect clients in
// rooms, send at a given rate for a given time, wait for deliveries to drain, and account
// for every message: latency per step, distinct receivers, duplicates, server CPU.
import { mergeHistograms, summarize, type LatencySummary } from "./histogram";
import type { ClientSpec, ConnectReport, DeliveryReport, SendPlan, SendReport } from "./protocol";
import type { ServerStats, Target } from "./targets";
import { deal, type WorkerPool } from "./workers";

export interface Audience {
  /** Open connections per room, as the workers counted them. */
  roomSizes: Map<string, number>;
  opened: number;
  failed: number;
  errors: string[];
  elapsedMs: number;
}

/** `rolling`: each client asks the directory where to connect and lives through restarts (rolling-client.ts). */
export async function connectClients(pool: WorkerPool, target: Target, clients: ClientSpec[], concurrencyPerWorker: number, rolling = false): Promise<Audience> {
  const shares = deal(clients, pool.size);
  const reports = await pool.all<ConnectReport>(
    (w) => ({
      op: "connect",
      kind: target.kind,
      clients: shares[w.index]!,
      concurrency: concurrencyPerWorker,
      timeoutMs: 60_000,
      ...(rolling ? { rolling: { apiUrl: target.apiUrl } } : {}),
    }),
    30 * 60_000,
  );
  const roomSizes = new Map<string, number>();
  for (const r of reports) for (const [room, n] of r.byRoom) roomSizes.set(room, (roomSizes.get(room) ?? 0) + n);
  return {
    roomSizes,
    opened: reports.reduce((s, r) => s + r.opened, 0),
    failed: reports.reduce((s, r) => s + r.failed, 0),
    errors: reports.flatMap((r) => r.errors).slice(0, 5),
    elapsedMs: Math.max(...reports.map((r) => r.elapsedMs)),
  };
}

export interface PhaseOptions {
  /** Messages per second over all workers. */
  rate: number;
  durationMs: number;
  step: number;
  seqBase: number;
  restShare: number;
  contentLength: number;
  /** Longest wait for in-flight deliveries after the last send. */
  drainMs: number;
  /** Connections each acknowledged message should reach (default: every open connection of its room). */
  expectedPerMessage?: number;
}

export interface PhaseResult {
  step: number;
  rate: number;
  acked: Array<[number, string]>;
  attempted: number;
  failures: Record<string, number>;
  starved: number;
  expectedDeliveries: number;
  sendMs: number;
  wallMs: number;
  cpuSeconds: number;
  statsAfter: ServerStats;
  seqBase: number;
  nextSeq: number;
}

export async function runPhase(pool: WorkerPool, target: Target, audience: Audience, o: PhaseOptions): Promise<PhaseResult> {
  const before = await target.stats();
  const progressBefore = await progress(pool);
  const perWorker = o.rate / pool.size;
  const maxMessages = Math.ceil((perWorker * o.durationMs) / 1000) + 1;
  const start = performance.now();
  const reports = await pool.all<SendReport>(
    (w) => ({
      op: "send",
      plan: {
        rate: perWorker,
        durationMs: o.durationMs,
        maxMessages,
        step: o.step,
        seqBase: o.seqBase + w.index,
        seqStride: pool.size,
        restShare: target.kind === "parley" ? o.restShare : 0,
        contentLength: o.contentLength,
        apiUrl: target.apiUrl,
        minSenderGapMs: 250,
      } satisfies SendPlan,
    }),
    o.durationMs + 120_000,
  );
  const sendMs = performance.now() - start;
  const acked = reports.flatMap((r) => r.acked);
  const expectedDeliveries = acked.reduce((s, [, room]) => s + (o.expectedPerMessage ?? audience.roomSizes.get(room) ?? 0), 0);
  await awaitDeliveries(pool, progressBefore.deliveries, expectedDeliveries, o.drainMs);
  const wallMs = performance.now() - start;
  const after = await target.stats();
  const failures: Record<string, number> = {};
  for (const r of reports) for (const [code, n] of Object.entries(r.failures)) failures[code] = (failures[code] ?? 0) + n;
  return {
    step: o.step,
    rate: o.rate,
    acked,
    attempted: reports.reduce((s, r) => s + r.attempted, 0),
    failures,
    starved: reports.reduce((s, r) => s + r.starved, 0),
    expectedDeliveries,
    sendMs,
    wallMs,
    cpuSeconds: after.cpuSeconds - before.cpuSeconds,
    statsAfter: after,
    seqBase: o.seqBase,
    nextSeq: o.seqBase + maxMessages * pool.size,
  };
}

/** Waits until `expected` deliveries arrived since `before`, or nothing moved for a second, or `drainMs` passed. */
export async function awaitDeliveries(pool: WorkerPool, before: number, expected: number, drainMs: number): Promise<void> {
  const drainEnd = performance.now() + drainMs;
  let last = -1;
  let stillSince = performance.now();
  for (;;) {
    const got = (await progress(pool)).deliveries - before;
    if (got >= expected || performance.now() > drainEnd) return;
    if (got !== last) {
      last = got;
      stillSince = performance.now();
    } else if (performance.now() - stillSince > 1_000) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function progress(pool: WorkerPool): Promise<{ deliveries: number; duplicates: number }> {
  const all = await pool.all<{ deliveries: number; duplicates: number }>(() => ({ op: "progress" }), 30_000);
  return { deliveries: all.reduce((s, p) => s + p.deliveries, 0), duplicates: all.reduce((s, p) => s + p.duplicates, 0) };
}

export interface DeliveryAccount {
  latency: LatencySummary;
  delivered: number;
  missing: number;
  duplicates: number;
  /** Deliveries of messages that were never acknowledged (a send that failed but was stored). */
  unacknowledgedDelivered: number;
  unreadable: number;
}

export interface Deliveries {
  counts: Map<number, number>;
  histograms: Map<number, string[]>;
  duplicates: number;
  unreadable: number;
}

export async function collectDeliveries(pool: WorkerPool): Promise<Deliveries> {
  const reports = await pool.all<DeliveryReport>(() => ({ op: "deliveries" }), 60_000);
  const counts = new Map<number, number>();
  const histograms = new Map<number, string[]>();
  for (const r of reports) {
    for (const [seq, n] of r.counts) counts.set(seq, (counts.get(seq) ?? 0) + n);
    for (const [step, h] of r.histograms) histograms.set(step, [...(histograms.get(step) ?? []), h]);
  }
  return {
    counts,
    histograms,
    duplicates: reports.reduce((s, r) => s + r.duplicates, 0),
    unreadable: reports.reduce((s, r) => s + r.unreadable, 0),
  };
}

/** Accounts for the messages of `phases`: each acknowledged one reached every open connection of its room exactly once. */
export function account(phases: Array<Pick<PhaseResult, "acked" | "step" | "seqBase" | "nextSeq">>, audience: Audience, d: Deliveries): DeliveryAccount {
  let delivered = 0;
  let missing = 0;
  const ackedSeqs = new Set<number>();
  for (const phase of phases) {
    for (const [seq, room] of phase.acked) {
      ackedSeqs.add(seq);
      const got = d.counts.get(seq) ?? 0;
      delivered += got;
      missing += Math.max(0, (audience.roomSizes.get(room) ?? 0) - got);
    }
  }
  const steps = new Set(phases.map((p) => p.step));
  let unacknowledgedDelivered = 0;
  for (const [seq, n] of d.counts) {
    if (!ackedSeqs.has(seq) && phases.some((p) => seq >= p.seqBase && seq < p.nextSeq)) unacknowledgedDelivered += n;
  }
  const latency = summarize(mergeHistograms([...steps].flatMap((s) => d.histograms.get(s) ?? [])));
  return { latency, delivered, missing, duplicates: d.duplicates, unacknowledgedDelivered, unreadable: d.unreadable };
}

