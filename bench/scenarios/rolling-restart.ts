// rolling-restart (issue 13): connections spread over two gateways by the directory, a send
// loop at the seed's rate, each gateway restarted in turn (SIGTERM: it drains; start it again
// on its port). Every acknowledged message is looked for in history (stored) and on every
// connection of its server (live, replayed on resume, or from the history page a client reads
// after a fresh `ready`); each connection says whether it resumed or started afresh.
import { account, awaitDeliveries, collectDeliveries, connectClients, progress } from "../lib/fanout";
import { mergeHistograms, summarize, type LatencySummary } from "../lib/histogram";
import { inParallel, JsonClient } from "../lib/http";
import { readMarker } from "../lib/marker";
import type { BenchOptions } from "../lib/options";
import { seededPopulation, type Seeding } from "../lib/population";
import { startCpuMeter } from "../lib/proc-cpu";
import type { GapCheck, RollingReport, SendPlan, SendReport } from "../lib/protocol";
import type { SeededServer, SeededUser } from "../lib/seed";
import type { GatewayRestart, Target } from "../lib/targets";
import { WorkerPool } from "../lib/workers";

/** After the last restart, sending goes on this long (the moved connections are back by then). */
const TAIL_MS = 5_000;
/** How long one restart may take, drain, start and the connections' return included. */
const RESTART_BUDGET_MS = 180_000;
const DIRECTORY_PROBES = 16;

export interface RestartFigures extends GatewayRestart {
  /** Start -> a directory answer names it again. */
  backInDirectoryMs: number;
  /** SIGTERM -> every connection open again (or the budget ran out). */
  allBackMs: number;
  allBack: boolean;
}

export interface RollingFigures {
  target: string;
  seeding?: Seeding;
  connect: { requested: number; opened: number; failed: number; seconds: number; errors: string[] };
  byGatewayBefore: Record<string, number>;
  byGatewayAfter: Record<string, number>;
  restarts: RestartFigures[];
  /** The worker reports at the end, summed. */
  clients: Omit<Totals, "byGateway">;
  /** Transport lost -> open again; and the successful attempt alone (WebSocket opened -> open). */
  reconnectMs: LatencySummary;
  attemptMs: LatencySummary;
  /** Share of the moved connections that resumed every time (no fresh `ready`). */
  resumedShare: number;
  messages: { attempted: number; acked: number; failures: Record<string, number>; starved: number };
  /** Acknowledged messages not found in their channel's history at the end. */
  notStored: number;
  /** (message, connection of its server) pairs never delivered (live, replayed or from history), and the messages concerned. */
  missingDeliveries: number;
  messagesMissingSomewhere: number;
  /** Of those pairs (stored messages), how many a gap fill of that connection had started past (a newer message had come first). */
  gapCheck: GapCheck;
  duplicates: number;
  unacknowledgedDelivered: number;
  deliveries: number;
  latency: LatencySummary;
  cpu: { steadySeconds: number; steadyCpuSeconds: number; restartSeconds: number; restartCpuSeconds: number; extraCpuSeconds: number };
  met: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Totals = Omit<RollingReport, "reconnectUs" | "attemptUs">;

async function sum(pool: WorkerPool): Promise<{ total: Totals; reconnect: string[]; attempt: string[] }> {
  const reports = await pool.all<RollingReport>(() => ({ op: "rolling-report" }), 30_000);
  const total = {} as Record<string, unknown>;
  for (const r of reports) {
    for (const [key, value] of Object.entries(r)) {
      if (key === "reconnectUs" || key === "attemptUs") continue;
      if (typeof value === "number") total[key] = ((total[key] as number) ?? 0) + value;
      else {
        const into = (total[key] ??= {}) as Record<string, number>;
        for (const [k, n] of Object.entries(value as Record<string, number>)) into[k] = (into[k] ?? 0) + n;
      }
    }
  }
  return { total: total as Totals, reconnect: reports.map((r) => r.reconnectUs), attempt: reports.map((r) => r.attemptUs) };
}

/** Polls the directory for a few users until one is sent to `url` (rendezvous spreads them over the nodes). */
async function backInDirectory(api: JsonClient, users: SeededUser[], url: string, timeoutMs = 30_000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  const probes = users.slice(0, DIRECTORY_PROBES);
  while (performance.now() < deadline) {
    const answers = await Promise.all(probes.map((u) => api.get<{ url?: string }>("/api/v1/gateway", u.token).catch(() => undefined)));
    if (answers.some((a) => a?.status === 200 && a.body?.url === url)) return true;
    await sleep(200);
  }
  return false;
}

async function allOpen(pool: WorkerPool, expected: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if ((await sum(pool)).total.open >= expected) return true;
    await sleep(250);
  }
  return false;
}

/** Reads every server's channel from the start: seq -> [message id, sent at, stored at] of every stored load message. */
async function storedIds(api: JsonClient, servers: SeededServer[], acked: number): Promise<Map<number, [string, number, number]>> {
  const stored = new Map<number, [string, number, number]>();
  const maxPages = Math.ceil(acked / 100) + 2 * servers.length + 10;
  let pages = 0;
  await inParallel(servers.length, 8, async (i) => {
    const { channelId, members } = servers[i]!;
    let after = "0";
    while (pages++ < maxPages) {
      const res = await api.get<Array<{ id: string; content: string; createdAt: string }>>(`/api/v1/channels/${channelId}/messages?after=${after}&limit=100`, members[0]!.token);
      if (res.status !== 200) throw new Error(`history of ${channelId}: HTTP ${res.status}`);
      for (const m of res.body) {
        const marker = readMarker(`"content":"${m.content}`);
        // createdAt is the id's time, taken just before the message is stored.
        if (marker) stored.set(marker.seq, [m.id, marker.sentAt, Date.parse(m.createdAt)]);
      }
      if (res.body.length < 100) return;
      after = res.body[0]!.id;
    }
  });
  return stored;
}

export async function rollingRestartOn(target: Target, o: BenchOptions): Promise<RollingFigures> {
  if (!target.restartGateway) throw new Error("rolling-restart needs several gateway nodes");
  const gatewayCount = target.gatewayUrls.length;
  const pop = await seededPopulation(target, o.rollingConnections, o.serverSize, { restart: !o.reuseServer });
  const api = new JsonClient(target.apiUrl, 32);
  const pool = WorkerPool.start(o.workers);
  const meter = startCpuMeter(() => target.processes());
  try {
    const audience = await connectClients(pool, target, pop.clients, 50, true);
    if (audience.failed > 0) console.warn(`  ${audience.failed} connections failed: ${audience.errors.join("; ")}`);
    await sleep(1_000); // presence announcements settle
    const before = await sum(pool);

    // One send loop for the whole run, stopped once the restarts are over.
    const maxMs = o.rollingSteady * 1000 + gatewayCount * RESTART_BUDGET_MS + TAIL_MS;
    const perWorker = o.rate / pool.size;
    const maxMessages = Math.ceil((perWorker * maxMs) / 1000) + 1;
    const deliveredBefore = (await progress(pool)).deliveries;
    const sending = pool.all<SendReport>(
      (w) => ({
        op: "send",
        plan: {
          rate: perWorker,
          durationMs: maxMs,
          maxMessages,
          step: 0,
          seqBase: w.index,
          seqStride: pool.size,
          restShare: o.restShare,
          contentLength: o.contentLength,
          apiUrl: target.apiUrl,
          minSenderGapMs: 250,
        } satisfies SendPlan,
      }),
      maxMs + 120_000,
    );

    // Steady state: the same send loop, every connection in place.
    let t = performance.now();
    let cpu = meter.total();
    await sleep(o.rollingSteady * 1000);
    const steadySeconds = (performance.now() - t) / 1000;
    const steadyCpuSeconds = meter.total() - cpu;

    t = performance.now();
    cpu = meter.total();
    const restarts: RestartFigures[] = [];
    for (let i = 0; i < gatewayCount; i++) {
      const sigterm = performance.now();
      const r = await target.restartGateway(i);
      const started = performance.now();
      const listed = await backInDirectory(api, pop.users, r.url);
      const backInDirectoryMs = listed ? performance.now() - started : Number.NaN;
      const allBack = await allOpen(pool, audience.opened, RESTART_BUDGET_MS - (performance.now() - sigterm));
      restarts.push({ ...r, backInDirectoryMs, allBack, allBackMs: performance.now() - sigterm });
      console.log(
        `  ${r.label}: drained in ${(r.drainMs / 1000).toFixed(2)} s (exit ${r.exit}), healthy after ${(r.startMs / 1000).toFixed(2)} s, ` +
          `${listed ? `in the directory ${(backInDirectoryMs / 1000).toFixed(2)} s later` : "NOT back in the directory"}, ${allBack ? "every connection open" : "NOT every connection open"}`,
      );
    }
    const restartSeconds = (performance.now() - t) / 1000;
    const restartCpuSeconds = meter.total() - cpu;

    await sleep(TAIL_MS);
    await pool.all(() => ({ op: "stop-send" }), 10_000);
    const reports = await sending;
    const acked = reports.flatMap((r) => r.acked);
    const expected = acked.reduce((s, [, room]) => s + (audience.roomSizes.get(room) ?? 0), 0);
    await awaitDeliveries(pool, deliveredBefore, expected, 20_000);
    // Gap fills still on their way are waited for (bounded): what they bring counts.
    for (let waited = 0; waited < 60_000 && (await sum(pool)).total.fillsInFlight > 0; waited += 250) await sleep(250);

    const after = await sum(pool);
    const d = await collectDeliveries(pool);
    const phase = { acked, step: 0, seqBase: 0, nextSeq: maxMessages * pool.size };
    const acct = account([phase], audience, d);
    const failures: Record<string, number> = {};
    for (const r of reports) for (const [code, n] of Object.entries(r.failures)) failures[code] = (failures[code] ?? 0) + n;
    const { byGateway: byGatewayAfter, ...clients } = after.total;
    const resumedShare = clients.connectionsMoved > 0 ? clients.connectionsAlwaysResumed / clients.connectionsMoved : Number.NaN;
    const stored = await storedIds(api, pop.servers, acked.length);
    const lostNotStored = acked.filter(([seq]) => !stored.has(seq)).length;
    const incomplete = acked.filter(([seq, room]) => stored.has(seq) && (d.counts.get(seq) ?? 0) < (audience.roomSizes.get(room) ?? 0));
    const checks = await pool.all<GapCheck>(() => ({ op: "gap-check", missing: incomplete.map(([seq, room]) => [seq, stored.get(seq)![0], room, stored.get(seq)![1], stored.get(seq)![2]]) }), 120_000);
    const byAway: Record<string, number> = {};
    for (const c of checks) for (const [k, n] of Object.entries(c.byAway)) byAway[k] = (byAway[k] ?? 0) + n;
    const gapCheck = {
      ...Object.fromEntries(
        (["pairs", "belowFillCursor", "onResumedOnly", "onFreshReady", "onNeverMoved", "duplicatesOnResumedOnly", "duplicatesOnFreshReady", "duplicatesOnNeverMoved", "sentWhileAway"] as const).map((k) => [k, checks.reduce((n, c) => n + c[k], 0)]),
      ),
      byAway,
    } as GapCheck;
    const extraCpuSeconds = restartCpuSeconds - (steadyCpuSeconds / steadySeconds) * restartSeconds;
    const met = lostNotStored === 0 && acct.missing === 0 && acct.duplicates === 0 && resumedShare >= 0.99 && clients.historyRequests === 0;
    return {
      target: target.label,
      seeding: pop.seeding,
      connect: { requested: pop.clients.length, opened: audience.opened, failed: audience.failed, seconds: audience.elapsedMs / 1000, errors: audience.errors },
      byGatewayBefore: before.total.byGateway,
      byGatewayAfter,
      restarts,
      clients,
      reconnectMs: summarize(mergeHistograms(after.reconnect)),
      attemptMs: summarize(mergeHistograms(after.attempt)),
      resumedShare,
      messages: { attempted: reports.reduce((s, r) => s + r.attempted, 0), acked: acked.length, failures, starved: reports.reduce((s, r) => s + r.starved, 0) },
      notStored: lostNotStored,
      missingDeliveries: acct.missing,
      messagesMissingSomewhere: incomplete.length,
      gapCheck,
      duplicates: acct.duplicates,
      unacknowledgedDelivered: acct.unacknowledgedDelivered,
      deliveries: acct.delivered,
      latency: acct.latency,
      cpu: { steadySeconds, steadyCpuSeconds, restartSeconds, restartCpuSeconds, extraCpuSeconds },
      met,
    };
  } finally {
    meter.stop();
    api.close();
    await pool.close();
  }
}
