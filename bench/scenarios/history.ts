// history: GET .../messages for the newest page and for deep `before` pages, open loop at a
// target rate, against whichever message store the server is configured with.
import { inParallel, JsonClient } from "../lib/http";
import { mergeHistograms, summarize, type LatencySummary } from "../lib/histogram";
import type { BenchOptions } from "../lib/options";
import { seededPopulation, type Seeding } from "../lib/population";
import type { HttpPlan, HttpReport } from "../lib/protocol";
import type { Target } from "../lib/targets";
import { WorkerPool } from "../lib/workers";

const SENDERS = 50;
const PAGE = 50;

export interface HistoryFigures {
  target: string;
  seeding?: Seeding & { messages: number; messagesSeconds: number };
  targetRate: number;
  achievedRate: number;
  ok: number;
  skipped: number;
  badPages: number;
  failures: Record<string, number>;
  newest: LatencySummary;
  deep: LatencySummary;
  server: { cpuSeconds: number; cpuUtilization: number; usPerRequest: number };
}

export async function historyOn(target: Target, o: BenchOptions): Promise<HistoryFigures> {
  // Seed: SENDERS members of one server post the messages (each under the 5/s limit).
  const pop = await seededPopulation(target, SENDERS, SENDERS, { restart: false });
  const channelId = pop.servers[0]!.channelId;
  const api = new JsonClient(target.apiUrl, SENDERS);
  const ids: string[] = new Array(o.historyMessages);
  const t0 = performance.now();
  const perSender = Math.ceil(o.historyMessages / SENDERS);
  await inParallel(SENDERS, SENDERS, async (lane) => {
    const user = pop.users[lane]!;
    for (let k = 0; k < perSender; k++) {
      const i = lane * perSender + k;
      if (i >= o.historyMessages) return;
      const started = performance.now();
      const res = await api.post<{ id: string }>(`/api/v1/channels/${channelId}/messages`, { content: `history message ${i} ${"h".repeat(40)}`, nonce: `h${i}` }, user.token);
      if (res.status !== 201) throw new Error(`history seed send: ${res.status} ${JSON.stringify(res.body)}`);
      ids[i] = res.body.id;
      await new Promise((r) => setTimeout(r, Math.max(0, 250 - (performance.now() - started))));
    }
  });
  const messagesSeconds = (performance.now() - t0) / 1000;
  api.close();
  if (!o.reuseServer) await target.restart();
  const tokens = pop.users.map((u) => u.token);
  // Deep cursors: anywhere below the newest two pages.
  const sorted = ids.filter(Boolean).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const deepCursors = sorted.slice(PAGE, Math.max(PAGE + 1, sorted.length - 2 * PAGE));
  const pool = WorkerPool.start(o.workers);
  try {
    const plan = (durationMs: number): HttpPlan => ({
      apiUrl: target.apiUrl,
      channelId,
      tokens,
      deepCursors,
      rate: o.historyRate / pool.size,
      durationMs,
      newestShare: 0.5,
      limit: PAGE,
      maxInFlight: 256,
    });
    // Warm-up (not recorded): JIT, connection pools, database caches.
    await pool.all<HttpReport>(() => ({ op: "http", plan: plan(Math.min(3_000, o.historyDuration * 500)) }), 120_000);
    const before = await target.stats();
    const start = performance.now();
    const reports = await pool.all<HttpReport>(() => ({ op: "http", plan: plan(o.historyDuration * 1000) }), o.historyDuration * 1000 + 120_000);
    const wall = (performance.now() - start) / 1000;
    const after = await target.stats();
    const ok = reports.reduce((s, r) => s + r.ok, 0);
    const failures: Record<string, number> = {};
    for (const r of reports) for (const [k, n] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + n;
    const hist = (name: string) => summarize(mergeHistograms(reports.flatMap((r) => r.histograms.filter(([n]) => n === name).map(([, h]) => h))));
    const cpuSeconds = after.cpuSeconds - before.cpuSeconds;
    return {
      target: target.label,
      seeding: pop.seeding && { ...pop.seeding, messages: o.historyMessages, messagesSeconds },
      targetRate: o.historyRate,
      achievedRate: ok / wall,
      ok,
      skipped: reports.reduce((s, r) => s + r.skipped, 0),
      badPages: reports.reduce((s, r) => s + r.badPages, 0),
      failures,
      newest: hist("newest"),
      deep: hist("deep"),
      server: { cpuSeconds, cpuUtilization: cpuSeconds / wall, usPerRequest: (cpuSeconds * 1e6) / Math.max(1, ok) },
    };
  } finally {
    await pool.close();
  }
}
