// A load-client process (forked by the harness): holds gateway connections, sends on a
// schedule, and records every delivery (latency histogram per step, distinct receivers per
// message, duplicates). Everything it does is bounded in count and time; it exits when told
// to close or when its parent goes away.
import { clockMs, encodeHistogram, newHistogram, type Histogram } from "./histogram";
import { JsonClient } from "./http";
import { baselineFrame, markContent, readMarker } from "./marker";
import type {
  AliveReport,
  ClientSpec,
  Command,
  ConnectReport,
  DeliveryReport,
  HttpPlan,
  HttpReport,
  PassiveReport,
  Reply,
  Request,
  SendPlan,
  SendReport,
  GapCheck,
} from "./protocol";
import { awayKind, openRollingClient, rollingReport, skippedByGapFill } from "./rolling-client";
import type { ResumableConnection } from "./resumable-wire";
import { openBaseline, openParley, type LoadConnection } from "./wire";

interface Client {
  spec: ClientSpec;
  conn: LoadConnection;
  /** Bit per seq: which messages this connection has already received (live). */
  seen: Uint8Array;
  /** rolling-restart: bit per seq it has only from a history page (not counted again when it also comes live). */
  fromHistory?: Uint8Array;
  /** Second copies this connection got. */
  duplicates?: number;
  lastSentAt: number;
  /** channel:activity frames since the last passive report, when the last came, the shortest gap. */
  activity: number;
  lastActivityAt: number;
  minActivityGapMs: number;
  shortActivityGaps: number;
}

/**
 * passive: two channel:activity frames of one connection closer than 2 s minus this count as
 * a short gap. The server spaces them at least 2 s apart; delivery jitter (the first delayed,
 * the next on time) can bring them closer by this much here.
 */
const ACTIVITY_GAP_TOLERANCE_MS = 250;

const clients: Client[] = [];
let kind: "parley" | "baseline" = "parley";
const counts = new Map<number, number>();
const histograms = new Map<number, Histogram>();
let deliveries = 0;
let duplicates = 0;
let unreadable = 0;
let historyFilled = 0;
let sendStopped = false;
const runTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;

/** Sets `seq`'s bit; false when it was set already. Grows the set as needed. */
function setBit(bits: Uint8Array, seq: number, grow: (grown: Uint8Array) => void): boolean {
  const byte = seq >> 3;
  if (byte >= bits.length) {
    const grown = new Uint8Array(Math.max(byte + 1, bits.length * 2));
    grown.set(bits);
    grow((bits = grown));
  }
  const bit = 1 << (seq & 7);
  if (bits[byte]! & bit) return false;
  bits[byte]! |= bit;
  return true;
}

function onFrame(client: Client, frame: string): void {
  const now = clockMs();
  const marker = readMarker(frame);
  if (!marker) {
    unreadable++;
    return;
  }
  const { seq } = marker;
  if (!setBit(client.seen, seq, (g) => (client.seen = g))) {
    duplicates++;
    client.duplicates = (client.duplicates ?? 0) + 1;
    return;
  }
  // Already counted from a history page: the live copy is no second delivery (the client merges by id).
  if (client.fromHistory && hasBit(client.fromHistory, seq)) return;
  deliveries++;
  counts.set(seq, (counts.get(seq) ?? 0) + 1);
  let h = histograms.get(marker.step);
  if (!h) histograms.set(marker.step, (h = newHistogram()));
  h.recordValue(Math.max(0, Math.round((now - marker.sentAt) * 1000)));
}

/** rolling-restart: a message a history page brought; counted as delivered unless it came live already. */
function onHistoryMessage(client: Client, seq: number): void {
  if (hasBit(client.seen, seq)) return;
  client.fromHistory ??= new Uint8Array(64);
  if (!setBit(client.fromHistory, seq, (g) => (client.fromHistory = g))) return;
  historyFilled++;
  deliveries++;
  counts.set(seq, (counts.get(seq) ?? 0) + 1);
}

/** passive: the scenario sends into one channel, so every activity frame is that channel's. */
function onActivityFrame(client: Client): void {
  const now = clockMs();
  if (client.lastActivityAt > 0) {
    const gap = now - client.lastActivityAt;
    client.minActivityGapMs = Math.min(client.minActivityGapMs, gap);
    if (gap < 2_000 - ACTIVITY_GAP_TOLERANCE_MS) client.shortActivityGaps++;
  }
  client.lastActivityAt = now;
  client.activity++;
}

async function connect(cmd: Extract<Command, { op: "connect" }>): Promise<ConnectReport> {
  kind = cmd.kind;
  const started = performance.now();
  let opened = 0;
  let failed = 0;
  const errors: string[] = [];
  const byRoom = new Map<string, number>();
  const directory = cmd.rolling ? new JsonClient(cmd.rolling.apiUrl, 64) : undefined;
  let next = 0;
  const lane = async () => {
    while (next < cmd.clients.length) {
      const spec = cmd.clients[next++]!;
      const client: Client = {
        spec,
        conn: undefined as unknown as LoadConnection,
        seen: new Uint8Array(64),
        lastSentAt: 0,
        activity: 0,
        lastActivityAt: 0,
        minActivityGapMs: Number.POSITIVE_INFINITY,
        shortActivityGaps: 0,
      };
      const handler = (frame: string) => onFrame(client, frame);
      const onActivity = () => onActivityFrame(client);
      const sink = { live: handler, fromHistory: (m: { seq: number }) => onHistoryMessage(client, m.seq) };
      const open = async (): Promise<LoadConnection> =>
        kind === "baseline"
          ? openBaseline(spec.url, spec.room, handler, cmd.timeoutMs)
          : directory
            ? openRollingClient(spec, directory, sink, cmd.timeoutMs)
            : openParley(spec.url, spec.token ?? "", handler, cmd.timeoutMs, { onActivity });
      try {
        client.conn = await open();
        await client.conn.ready;
        clients.push(client);
        opened++;
        byRoom.set(spec.room, (byRoom.get(spec.room) ?? 0) + 1);
      } catch (err) {
        failed++;
        client.conn?.close();
        if (errors.length < 5) errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(cmd.concurrency, cmd.clients.length)) }, lane));
  return { opened, byRoom: [...byRoom.entries()], failed, errors, elapsedMs: performance.now() - started };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(plan: SendPlan): Promise<SendReport> {
  const report: SendReport = { attempted: 0, acked: [], failures: {}, starved: 0 };
  const api = new JsonClient(plan.apiUrl, 64);
  const inFlight = new Set<Promise<void>>();
  const fail = (code: string) => (report.failures[code] = (report.failures[code] ?? 0) + 1);
  const start = performance.now();
  sendStopped = false;
  let cursor = 0;
  let k = 0;
  const pickSender = (now: number): Client | undefined => {
    for (let tries = 0; tries < clients.length; tries++) {
      const c = clients[cursor++ % clients.length]!;
      if (c.conn.isOpen() && now - c.lastSentAt >= plan.minSenderGapMs) return c;
    }
    return undefined;
  };
  const sendOne = async (client: Client, seq: number, viaRest: boolean) => {
    const content = markContent(seq, plan.step, plan.contentLength);
    const nonce = `${runTag}-${seq}`;
    try {
      if (kind === "baseline") {
        const frame = baselineFrame(seq, content, nonce, { id: client.spec.userId, username: client.spec.username });
        const ack = await client.conn.send("message:send", undefined, frame);
        if (ack.ok) report.acked.push([seq, client.spec.room]);
        else fail(ack.error?.code ?? "ERROR");
      } else if (viaRest) {
        const res = await api.post(`/api/v1/channels/${client.spec.channelId}/messages`, { content, nonce }, client.spec.token);
        if (res.status === 201) report.acked.push([seq, client.spec.room]);
        else fail(`HTTP ${res.status}`);
      } else {
        const ack = await client.conn.send("message:send", { channelId: client.spec.channelId, content, nonce });
        if (ack.ok) report.acked.push([seq, client.spec.room]);
        else fail(ack.error?.code ?? "ERROR");
      }
    } catch (err) {
      fail(err instanceof Error ? err.message.slice(0, 80) : "ERROR");
    }
  };
  while (k < plan.maxMessages) {
    const now = performance.now();
    const elapsed = now - start;
    if (elapsed >= plan.durationMs || sendStopped) break;
    const due = Math.min(plan.maxMessages, Math.floor((elapsed / 1000) * plan.rate) + 1);
    while (k < due) {
      const client = pickSender(now);
      if (!client) {
        report.starved += due - k;
        k = due;
        break;
      }
      client.lastSentAt = now;
      const seq = plan.seqBase + k * plan.seqStride;
      // Deterministic, evenly spread mix of REST and gateway sends.
      const viaRest = Math.floor((k + 1) * plan.restShare) > Math.floor(k * plan.restShare);
      k++;
      report.attempted++;
      const p = sendOne(client, seq, viaRest).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    const nextDue = start + (k / plan.rate) * 1000;
    await sleep(Math.max(1, Math.min(50, nextDue - performance.now())));
  }
  // Acks are bounded by the connection's ack timeout and the HTTP timeout (30 s).
  await Promise.all(inFlight);
  api.close();
  return report;
}

function deliveryReport(): DeliveryReport {
  return {
    deliveries,
    duplicates,
    unreadable,
    counts: [...counts.entries()],
    histograms: [...histograms.entries()].map(([step, h]) => [step, encodeHistogram(h)]),
  };
}

function alive(): AliveReport {
  let open = 0;
  let minPings = Number.POSITIVE_INFINITY;
  let totalPings = 0;
  for (const c of clients) {
    if (c.conn.isOpen()) open++;
    minPings = Math.min(minPings, c.conn.pings);
    totalPings += c.conn.pings;
  }
  return { open, closed: clients.length - open, minPings: clients.length ? minPings : 0, totalPings };
}

/** Open-loop history reads: requests start on schedule; when too many are in flight, a slot is skipped and counted. */
async function httpLoad(plan: HttpPlan): Promise<HttpReport> {
  const api = new JsonClient(plan.apiUrl, plan.maxInFlight);
  const hist = { newest: newHistogram(), deep: newHistogram() };
  const report: HttpReport = { sent: 0, ok: 0, badPages: 0, skipped: 0, failures: {}, histograms: [], elapsedMs: 0 };
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  let k = 0;
  const one = async (i: number) => {
    // Spread evenly: request i is a newest page when the running share of newest pages grows at i.
    const newest = Math.floor((i + 1) * plan.newestShare) > Math.floor(i * plan.newestShare);
    const cursor = plan.deepCursors[(i * 7919) % plan.deepCursors.length];
    const path = `/api/v1/channels/${plan.channelId}/messages?limit=${plan.limit}${newest || !cursor ? "" : `&before=${cursor}`}`;
    const t0 = performance.now();
    try {
      const res = await api.get<Array<{ id: string }>>(path, plan.tokens[i % plan.tokens.length]);
      const us = Math.round((performance.now() - t0) * 1000);
      if (res.status !== 200) {
        report.failures[`HTTP ${res.status}`] = (report.failures[`HTTP ${res.status}`] ?? 0) + 1;
        return;
      }
      (newest || !cursor ? hist.newest : hist.deep).recordValue(us);
      report.ok++;
      const page = res.body;
      const ordered = Array.isArray(page) && page.every((m, j) => j === 0 || BigInt(page[j - 1]!.id) > BigInt(m.id));
      if (!ordered || page.length !== plan.limit) report.badPages++;
    } catch (err) {
      const code = err instanceof Error ? err.message.slice(0, 60) : "ERROR";
      report.failures[code] = (report.failures[code] ?? 0) + 1;
    }
  };
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= plan.durationMs) break;
    const due = Math.floor((elapsed / 1000) * plan.rate) + 1;
    while (k < due) {
      if (inFlight.size >= plan.maxInFlight) {
        report.skipped += due - k;
        k = due;
        break;
      }
      const p = one(k++).finally(() => inFlight.delete(p));
      inFlight.add(p);
      report.sent++;
    }
    await sleep(Math.max(1, Math.min(20, start + (k / plan.rate) * 1000 - performance.now())));
  }
  await Promise.all(inFlight);
  report.elapsedMs = performance.now() - start;
  report.histograms = Object.entries(hist).map(([name, h]) => [name, encodeHistogram(h)]);
  api.close();
  return report;
}

/** passive: every connection focuses its group's channel; resolves with how many did, by group. */
async function focus(cmd: Extract<Command, { op: "focus" }>): Promise<{ busy: number; quiet: number; failed: number; errors: string[] }> {
  const result = { busy: 0, quiet: 0, failed: 0, errors: [] as string[] };
  await Promise.all(
    clients.map(async (c) => {
      if (!c.spec.focusGroup) return;
      const channelId = c.spec.focusGroup === "busy" ? cmd.busyChannelId : cmd.quietChannelId;
      const ack = await c.conn.send("channels:focus", { channelIds: [channelId] });
      if (ack.ok) result[c.spec.focusGroup]++;
      else {
        result.failed++;
        if (result.errors.length < 5) result.errors.push(ack.error?.code ?? "ERROR");
      }
    }),
  );
  return result;
}

const hasBit = (bits: Uint8Array, seq: number) => ((bits[seq >> 3] ?? 0) & (1 << (seq & 7))) !== 0;
const hasSeen = (c: Client, seq: number) => hasBit(c.seen, seq);

/** passive: what each connection got of the acknowledged messages, and its activity frames (then reset). */
function passiveReport(cmd: Extract<Command, { op: "passive-report" }>): PassiveReport {
  const r: PassiveReport = {
    focusing: 0,
    others: 0,
    focusingComplete: 0,
    focusingMissing: 0,
    othersMessages: 0,
    activityFrames: 0,
    focusingActivityFrames: 0,
    maxActivityPerConnection: 0,
    minActivityGapMs: null,
    shortGaps: 0,
  };
  for (const c of clients) {
    const got = cmd.acked.reduce((n, seq) => n + (hasSeen(c, seq) ? 1 : 0), 0);
    if (c.spec.focusGroup === "busy") {
      r.focusing++;
      r.focusingActivityFrames += c.activity;
      if (got === cmd.acked.length) r.focusingComplete++;
      r.focusingMissing += cmd.acked.length - got;
    } else {
      r.others++;
      r.othersMessages += got;
    }
    r.activityFrames += c.activity;
    r.maxActivityPerConnection = Math.max(r.maxActivityPerConnection, c.activity);
    if (Number.isFinite(c.minActivityGapMs)) r.minActivityGapMs = Math.min(r.minActivityGapMs ?? Infinity, c.minActivityGapMs);
    r.shortGaps += c.shortActivityGaps;
    c.activity = 0;
    c.lastActivityAt = 0;
    c.minActivityGapMs = Number.POSITIVE_INFINITY;
    c.shortActivityGaps = 0;
  }
  return r;
}

/** rolling-restart: which connections lack these messages, and whether a gap fill had started past them. */
function gapCheck(missing: Array<[number, string, string, number, number]>): GapCheck {
  const result: GapCheck = { pairs: 0, belowFillCursor: 0, onResumedOnly: 0, onFreshReady: 0, onNeverMoved: 0, duplicatesOnResumedOnly: 0, duplicatesOnFreshReady: 0, duplicatesOnNeverMoved: 0, sentWhileAway: 0, byAway: {} };
  for (const c of clients) {
    if (!("moves" in c.conn)) continue;
    const conn = c.conn as ResumableConnection;
    const dups = c.duplicates ?? 0;
    if (conn.moves.fresh > 0) result.duplicatesOnFreshReady += dups;
    else if (conn.moves.resumed > 0) result.duplicatesOnResumedOnly += dups;
    else result.duplicatesOnNeverMoved += dups;
    for (const [seq, id, room, sentAt, storedAt] of missing) {
      if (c.spec.room !== room || hasSeen(c, seq) || (c.fromHistory && hasBit(c.fromHistory, seq))) continue;
      result.pairs++;
      const kind = awayKind(conn, sentAt, storedAt);
      if (kind !== "connected") result.sentWhileAway++;
      result.byAway[kind] = (result.byAway[kind] ?? 0) + 1;
      if (skippedByGapFill(conn, id)) result.belowFillCursor++;
      if (conn.moves.fresh > 0) result.onFreshReady++;
      else if (conn.moves.resumed > 0) result.onResumedOnly++;
      else result.onNeverMoved++;
    }
  }
  return result;
}

async function handle(command: Command): Promise<unknown> {
  switch (command.op) {
    case "connect":
      return connect(command);
    case "send":
      return send(command.plan);
    case "deliveries":
      return deliveryReport();
    case "progress":
      return { deliveries, duplicates };
    case "stop-send":
      sendStopped = true;
      return { stopped: true };
    case "gap-check":
      return gapCheck(command.missing);
    case "rolling-report":
      return rollingReport(
        clients.map((c) => c.conn as ResumableConnection).filter((c) => "moves" in c),
        historyFilled,
      );
    case "alive":
      return alive();
    case "http":
      return httpLoad(command.plan);
    case "focus":
      return focus(command);
    case "passive-report":
      return passiveReport(command);
    case "close":
      for (const c of clients) c.conn.close();
      clients.length = 0;
      setTimeout(() => process.exit(0), 50);
      return { closed: true };
  }
}

process.on("message", (request: Request) => {
  handle(request.command).then(
    (result) => process.send!({ id: request.id, ok: true, result } satisfies Reply),
    (err) => process.send!({ id: request.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies Reply),
  );
});
// Never outlive the harness.
process.on("disconnect", () => process.exit(0));
