// Messages between the harness and its load workers (forked processes, IPC).

export interface ClientSpec {
  /** Gateway (or baseline) WebSocket URL this client connects to. */
  url: string;
  token?: string;
  userId: string;
  username: string;
  /** The Parley server id (or baseline room) this client's messages and deliveries belong to. */
  room: string;
  /** The channel this client sends to. */
  channelId?: string;
  /** passive: which channel this connection focuses when told to (the busy one or the quiet one). */
  focusGroup?: "busy" | "quiet";
}

/** passive: what each worker's connections saw of one run, for the acknowledged messages. */
export interface PassiveReport {
  /** Connections told to focus the busy channel, and the other connections. */
  focusing: number;
  others: number;
  /** Focusing connections that got every acknowledged message (duplicates are counted apart). */
  focusingComplete: number;
  /** Acknowledged messages a focusing connection did not get, summed. */
  focusingMissing: number;
  /** message:create frames of acknowledged messages that reached the other connections. */
  othersMessages: number;
  /** channel:activity frames since the last report, over all connections / the focusing ones. */
  activityFrames: number;
  focusingActivityFrames: number;
  /** The most channel:activity frames one connection got, and the shortest gap between two (ms; null: no two). */
  maxActivityPerConnection: number;
  minActivityGapMs: number | null;
  /** Gaps between two channel:activity frames of one connection shorter than 2 s minus a tolerance (load-worker.ts). */
  shortGaps: number;
}

export interface SendPlan {
  /** Messages per second this worker sends. */
  rate: number;
  durationMs: number;
  maxMessages: number;
  step: number;
  /** This worker's seqs are seqBase + k * seqStride. */
  seqBase: number;
  seqStride: number;
  /** Share of sends made over REST (the rest go over the gateway). */
  restShare: number;
  contentLength: number;
  apiUrl: string;
  /** A sender waits at least this long between two of its messages (rate limit 5/s). */
  minSenderGapMs: number;
}

export interface SendReport {
  attempted: number;
  /** [seq, room] of every acknowledged message. */
  acked: Array<[number, string]>;
  failures: Record<string, number>;
  /** Sends the schedule wanted but no sender was free for (the plan was too fast). */
  starved: number;
}

export interface DeliveryReport {
  deliveries: number;
  duplicates: number;
  unreadable: number;
  /** seq -> distinct connections that received it. */
  counts: Array<[number, number]>;
  /** step -> encoded latency histogram (µs). */
  histograms: Array<[number, string]>;
}

export interface HttpPlan {
  apiUrl: string;
  channelId: string;
  tokens: string[];
  /** `before` cursors for deep pages. */
  deepCursors: string[];
  rate: number;
  durationMs: number;
  newestShare: number;
  limit: number;
  maxInFlight: number;
}

export interface HttpReport {
  sent: number;
  ok: number;
  badPages: number;
  skipped: number;
  failures: Record<string, number>;
  histograms: Array<[string, string]>;
  elapsedMs: number;
}

export interface ConnectReport {
  opened: number;
  /** room -> connections opened in it. */
  byRoom: Array<[string, number]>;
  failed: number;
  errors: string[];
  elapsedMs: number;
}

export interface AliveReport {
  open: number;
  closed: number;
  minPings: number;
  totalPings: number;
}

/** rolling-restart: what one worker's connections went through (rolling-client.ts). */
export interface RollingReport {
  connections: number;
  open: number;
  /** Open connections by gateway (the http URL the directory named). */
  byGateway: Record<string, number>;
  /** Transports left because told (`gateway:reconnect`), lost otherwise, attempts that failed; connections that gave up. */
  notices: number;
  drops: number;
  failedAttempts: number;
  gaveUp: number;
  /** Connections that reconnected at least once; of them, every time resumed / at least once a fresh `ready`. */
  connectionsMoved: number;
  connectionsAlwaysResumed: number;
  connectionsWithFreshReady: number;
  /** Reconnects that resumed (same pid, no `ready`) and that got a fresh `ready`. */
  resumed: number;
  fresh: number;
  anomalies: Record<string, number>;
  /** History requests made after fresh `ready`s, the connections that made them, the ones that failed. */
  historyRequests: number;
  historyConnections: number;
  historyFailures: number;
  /** `gateway:resync` notices (each followed by a gap fill). */
  resyncs: number;
  /** Gap fills still running. */
  fillsInFlight: number;
  /** Messages a connection had only from those history pages. */
  historyFilled: number;
  /** Live messages that came after one with a newer id (ids are not in delivery order across nodes). */
  outOfOrder: number;
  /** This load worker's own CPU so far (user + system). */
  clientCpuSeconds: number;
  /** Transport lost -> open again (resumed CONNECT or `ready`), µs, encoded. */
  reconnectUs: string;
  /** The successful attempt alone: its WebSocket opened -> open (handshake, auth, `ready`), µs, encoded. */
  attemptUs: string;
}

/** rolling-restart: the (message, connection) pairs never delivered, and those a gap fill had started past. */
export interface GapCheck {
  pairs: number;
  belowFillCursor: number;
  /** The same pairs by what the connection went through: only resumes, at least one fresh `ready`, never moved. */
  onResumedOnly: number;
  onFreshReady: number;
  onNeverMoved: number;
  /** Duplicates by the same kinds of connection. */
  duplicatesOnResumedOnly: number;
  duplicatesOnFreshReady: number;
  duplicatesOnNeverMoved: number;
  /** Pairs whose message was sent (stamped) while that connection was away: lost -> open again. */
  sentWhileAway: number;
  /** The same pairs by when the message was sent for that connection (rolling-client.ts awayKind). */
  byAway: Record<string, number>;
}

export type Command =
  | {
      op: "connect";
      kind: "parley" | "baseline";
      clients: ClientSpec[];
      concurrency: number;
      timeoutMs: number;
      /** rolling-restart: ask the directory on this API node and keep each connection alive through restarts. */
      rolling?: { apiUrl: string };
    }
  | { op: "send"; plan: SendPlan }
  /** Ends a running send early (rolling-restart sends until the restarts are over). */
  | { op: "stop-send" }
  | { op: "rolling-report" }
  /** rolling-restart: for messages some connection never got ([seq, id, room, sent at, stored at]), why: see GapCheck. */
  | { op: "gap-check"; missing: Array<[number, string, string, number, number]> }
  | { op: "deliveries" }
  | { op: "progress" }
  | { op: "alive" }
  | { op: "http"; plan: HttpPlan }
  | { op: "focus"; busyChannelId: string; quietChannelId: string }
  | { op: "passive-report"; acked: number[] }
  | { op: "close" };

export type Request = { id: number; command: Command };
export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
