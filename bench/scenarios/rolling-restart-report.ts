// rolling-restart's tables. Issue 13's targets are printed, never enforced.
import type { LatencySummary } from "../lib/histogram";
import { printFigures, printTable } from "../lib/report";
import type { RollingFigures } from "./rolling-restart";

const pct = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : "n/a");
const ms = (l: LatencySummary) => [l.p50, l.p90, l.p99, l.max].map((v) => v.toFixed(0)).join(" / ");
const spread = (byGateway: Record<string, number>) =>
  Object.entries(byGateway)
    .sort()
    .map(([url, n]) => `${new URL(url).port}: ${n}`)
    .join(", ") || "none";

export function printRollingRestart(r: RollingFigures): void {
  printTable(
    `rolling-restart: ${r.target}`,
    r.restarts.map((g) => ({
      gateway: g.label,
      "drain s (SIGTERM -> exit)": g.drainMs / 1000,
      exit: String(g.exit),
      "start s (-> healthy)": g.startMs / 1000,
      "back in directory s": g.backInDirectoryMs / 1000,
      "SIGTERM -> all open s": g.allBack ? g.allBackMs / 1000 : "NOT all open",
    })),
  );
  const c = r.clients;
  const reconnects = c.resumed + c.fresh;
  printFigures("rolling-restart: figures", {
    "connections requested / opened / failed": `${r.connect.requested} / ${r.connect.opened} / ${r.connect.failed}`,
    "connect s": r.connect.seconds,
    "by gateway port before / after": `${spread(r.byGatewayBefore)} / ${spread(r.byGatewayAfter)}`,
    "messages sent / acknowledged": `${r.messages.attempted} / ${r.messages.acked}`,
    "send failures (not acknowledged)": JSON.stringify(r.messages.failures),
    "lost: acknowledged, not in history": r.notStored,
    "lost: deliveries missing (message x connection), messages concerned": `${r.missingDeliveries}, ${r.messagesMissingSomewhere}`,
    "  of those pairs, a gap fill had started past the message": `${r.gapCheck.belowFillCursor} of ${r.gapCheck.pairs}`,
    "  of those pairs, sent while that connection was away (lost -> open again)": r.gapCheck.sentWhileAway,
    "  of those pairs, by when they were sent for that connection": JSON.stringify(r.gapCheck.byAway ?? {}),
    "  of those pairs, on connections only resumed / with a fresh ready / never moved": `${r.gapCheck.onResumedOnly} / ${r.gapCheck.onFreshReady} / ${r.gapCheck.onNeverMoved}`,
    "duplicated (delivered twice to one connection)": r.duplicates,
    "  on connections only resumed / with a fresh ready / never moved": `${r.gapCheck.duplicatesOnResumedOnly} / ${r.gapCheck.duplicatesOnFreshReady} / ${r.gapCheck.duplicatesOnNeverMoved}`,
    "delivered though not acknowledged": r.unacknowledgedDelivered,
    "transports left: told gateway:reconnect / dropped / failed attempts": `${c.notices} / ${c.drops} / ${c.failedAttempts}`,
    "connections moved; resumed every time / got a fresh ready": `${c.connectionsMoved}; ${c.connectionsAlwaysResumed} (${pct(r.resumedShare)}) / ${c.connectionsWithFreshReady} (${pct(c.connectionsMoved ? c.connectionsWithFreshReady / c.connectionsMoved : Number.NaN)})`,
    "reconnects resumed / fresh ready": `${c.resumed} (${pct(reconnects ? c.resumed / reconnects : Number.NaN)}) / ${c.fresh}`,
    "connections that gave up": c.gaveUp,
    "anomalies": JSON.stringify(c.anomalies),
    "history requests during the restart (connections, failed)": `${c.historyRequests} (${c.historyConnections}, ${c.historyFailures})`,
    "gateway:resync notices (each followed by a gap fill)": c.resyncs,
    "deliveries only from those history pages": c.historyFilled,
    "live messages older than one already received (by id)": c.outOfOrder,
    "reconnect ms p50 / p90 / p99 / max (transport lost -> open)": ms(r.reconnectMs),
    "  of which the successful attempt (WebSocket -> open)": ms(r.attemptMs),
    "delivery latency ms p50 / p99 / max (replays included)": `${r.latency.p50} / ${r.latency.p99} / ${r.latency.max}`,
    "server CPU steady: s over s (cores)": `${r.cpu.steadyCpuSeconds.toFixed(1)} over ${r.cpu.steadySeconds.toFixed(1)} (${(r.cpu.steadyCpuSeconds / r.cpu.steadySeconds).toFixed(2)})`,
    "server CPU restarts: s over s (cores)": `${r.cpu.restartCpuSeconds.toFixed(1)} over ${r.cpu.restartSeconds.toFixed(1)} (${(r.cpu.restartCpuSeconds / r.cpu.restartSeconds).toFixed(2)})`,
    "extra CPU s (restarts - steady rate x their length)": r.cpu.extraCpuSeconds,
    "load clients' CPU s, whole run": c.clientCpuSeconds,
    "target: 0 lost, 0 duplicated, >= 99 % resumed, no history requests": r.met ? "yes" : "NO",
  });
}
