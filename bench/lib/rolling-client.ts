// rolling-restart, the load worker's side: each connection finds its gateway in the directory,
// lives through restarts (resumable-wire.ts), and behaves like the web client afterwards: a
// resumed connection fetches nothing; after a fresh `ready` it fills its open channel's gap
// from history (components/api/history-loader.ts fillGap: pages of 100 after the newest
// message it held when the transport was lost, ≤ 20 pages; the newest page of 50 when it held
// none). The gap starts where the transport was lost, not at `ready`: a fresh connection is in
// its rooms before `ready`, so messages may come live before it. What the history pages bring
// is accounted as delivered, apart from what came live.
import { clockMs, encodeHistogram, newHistogram } from "./histogram";
import type { JsonClient } from "./http";
import { readMarker, type Marker } from "./marker";
import type { ClientSpec, RollingReport } from "./protocol";
import { openResumable, type ResumableConnection } from "./resumable-wire";

const GAP_PAGE = 100;
const MAX_GAP_PAGES = 20;
const LATEST_PAGE = 50;
/** `gateway:resync` reaches everyone at once: the web client waits up to this long (catch-up.ts). */
const RESYNC_SPREAD_MS = 3_000;
const ID_PREFIX = '42["message:create",{"id":"';

/** What the worker does with a message, live or from history (load-worker.ts owns the bitsets). */
export interface MessageSink {
  live(frame: string): void;
  fromHistory(marker: Marker): void;
}

const tally = {
  resumed: 0,
  fresh: 0,
  anomalies: {} as Record<string, number>,
  historyRequests: 0,
  historyConnections: 0,
  historyFailures: 0,
  /** `gateway:resync` notices received (each followed by a gap fill, as the web client does). */
  resyncs: 0,
  fillsInFlight: 0,
  /** Live messages older (by id) than one the connection already had: a gap filled "after the newest" can skip such a one. */
  outOfOrder: 0,
  reconnectUs: newHistogram(),
  attemptUs: newHistogram(),
};

/** Each connection's way so far: when (machine clock, ms) it lost its transport and was open again, and where its gap fills started. */
interface Away {
  lost: number;
  /** Open again at (Infinity: not yet), and how. */
  back: number;
  resumed?: boolean;
  /** After a fresh `ready`: when its gap fill's first request went out. */
  fillAt?: number;
}
interface Journey {
  fillCursors: Array<string | undefined>;
  away: Away[];
}
const journeys = new WeakMap<ResumableConnection, Journey>();

/**
 * Of a message a connection never got: did one of its gap fills start after a newer message?
 * Then the fill could not bring it (it was broadcast after an even newer one had arrived).
 */
export function skippedByGapFill(conn: ResumableConnection, id: string): boolean {
  return (journeys.get(conn)?.fillCursors ?? []).some((cursor) => cursor !== undefined && !newer(id, cursor));
}

export type AwayKind = "connected" | "stillAway" | "resumed" | "freshStoredBeforeFill" | "freshStoredAfterFill";

/**
 * When a message was sent (stamped, machine clock) relative to a connection's absences: while
 * it was connected; during an absence it has not come back from; during one that ended in a
 * resume; or in a fresh `ready`, the message stored (its id's time) before or after the gap
 * fill's first request.
 */
export function awayKind(conn: ResumableConnection, sentAt: number, storedAt: number): AwayKind {
  const away = (journeys.get(conn)?.away ?? []).find((a) => sentAt >= a.lost && sentAt <= a.back);
  if (!away) return "connected";
  if (away.back === Number.POSITIVE_INFINITY) return "stillAway";
  if (away.resumed) return "resumed";
  return away.fillAt !== undefined && storedAt >= away.fillAt ? "freshStoredAfterFill" : "freshStoredBeforeFill";
}

/** Snowflakes as decimal strings: longer is newer, else compare as text. */
const newer = (a: string, b: string | undefined) => b === undefined || a.length > b.length || (a.length === b.length && a > b);

export function idOf(frame: string): string | undefined {
  if (!frame.startsWith(ID_PREFIX)) return undefined;
  const end = frame.indexOf('"', ID_PREFIX.length);
  return end > 0 ? frame.slice(ID_PREFIX.length, end) : undefined;
}

/** Asks the directory, then opens the connection there; resolves once it is open (its first `ready`). */
export async function openRollingClient(spec: ClientSpec, api: JsonClient, sink: MessageSink, timeoutMs: number): Promise<ResumableConnection> {
  const token = spec.token ?? "";
  const lookUp = async () => {
    const res = await api.get<{ url?: string }>("/api/v1/gateway", token);
    if (res.status !== 200 || typeof res.body?.url !== "string") throw new Error(`directory: HTTP ${res.status}`);
    return res.body.url;
  };
  let newest: string | undefined;
  /** The newest message held when the transport was lost (kept until a fresh `ready` fills the gap). */
  let gapAfter: string | undefined;
  let gapOpen = false;
  const fillGap = async () => {
    if (!spec.channelId) return;
    tally.historyConnections++;
    tally.fillsInFlight++;
    try {
      await fillPages();
    } finally {
      tally.fillsInFlight--;
    }
  };
  const fillPages = async () => {
    let after = gapAfter;
    gapOpen = false;
    journeys.get(conn)?.fillCursors.push(after);
    const away = journeys.get(conn)?.away.at(-1);
    if (away && away.fillAt === undefined) away.fillAt = clockMs();
    for (let page = 0; page < MAX_GAP_PAGES; page++) {
      const query = after === undefined ? `limit=${LATEST_PAGE}` : `after=${after}&limit=${GAP_PAGE}`;
      tally.historyRequests++;
      const res = await api.get<Array<{ id: string; content: string }>>(`/api/v1/channels/${spec.channelId}/messages?${query}`, token).catch(() => undefined);
      if (!res || res.status !== 200 || !Array.isArray(res.body)) {
        tally.historyFailures++;
        return;
      }
      for (const m of res.body) {
        const marker = readMarker(`"content":"${m.content}`);
        if (marker) sink.fromHistory(marker);
        if (newer(m.id, newest)) newest = m.id;
      }
      if (after === undefined || res.body.length < GAP_PAGE) return;
      after = res.body[0]?.id ?? after;
    }
  };
  const conn = openResumable(await lookUp(), token, {
    lookUp,
    onMessage(frame) {
      const id = idOf(frame);
      if (id !== undefined && newer(id, newest)) newest = id;
      else if (id !== undefined && id !== newest) tally.outOfOrder++;
      sink.live(frame);
    },
    onResync() {
      tally.resyncs++;
      // The web client marks the channel stale then (the gap starts after the newest it holds) and fills it a moment later.
      if (!gapOpen) gapAfter = newest;
      gapOpen = true;
      setTimeout(() => void fillGap(), Math.random() * RESYNC_SPREAD_MS).unref();
    },
    onLost() {
      journeys.get(conn)?.away.push({ lost: clockMs(), back: Number.POSITIVE_INFINITY });
      if (gapOpen) return;
      gapOpen = true;
      gapAfter = newest;
    },
    onReconnected(resumed, downMs, attemptMs) {
      const away = journeys.get(conn)?.away.at(-1);
      if (away) Object.assign(away, { back: clockMs(), resumed });
      tally.reconnectUs.recordValue(Math.max(1, Math.round(downMs * 1000)));
      tally.attemptUs.recordValue(Math.max(1, Math.round(attemptMs * 1000)));
      if (resumed) {
        tally.resumed++;
        gapOpen = false;
      } else {
        tally.fresh++;
        void fillGap();
      }
    },
    onAnomaly(what) {
      tally.anomalies[what] = (tally.anomalies[what] ?? 0) + 1;
    },
  }, timeoutMs);
  journeys.set(conn, { fillCursors: [], away: [] });
  await conn.ready;
  return conn;
}

/** The worker's figures so far, over its rolling connections. */
export function rollingReport(conns: ResumableConnection[], historyFilled: number): RollingReport {
  const byGateway: Record<string, number> = {};
  const moves = { notices: 0, drops: 0, failedAttempts: 0, gaveUp: 0, connectionsMoved: 0, connectionsAlwaysResumed: 0, connectionsWithFreshReady: 0 };
  let open = 0;
  for (const c of conns) {
    if (c.isOpen()) {
      open++;
      byGateway[c.gateway] = (byGateway[c.gateway] ?? 0) + 1;
    }
    moves.notices += c.moves.notices;
    moves.drops += c.moves.drops;
    moves.failedAttempts += c.moves.failedAttempts;
    if (c.moves.gaveUp) moves.gaveUp++;
    if (c.moves.resumed + c.moves.fresh > 0) moves.connectionsMoved++;
    if (c.moves.fresh > 0) moves.connectionsWithFreshReady++;
    else if (c.moves.resumed > 0) moves.connectionsAlwaysResumed++;
  }
  const { reconnectUs, attemptUs, ...counts } = tally;
  const cpu = process.cpuUsage();
  return { clientCpuSeconds: (cpu.user + cpu.system) / 1e6, connections: conns.length, open, byGateway, ...moves, ...counts, anomalies: { ...counts.anomalies }, historyFilled, reconnectUs: encodeHistogram(reconnectUs), attemptUs: encodeHistogram(attemptUs) };
}
