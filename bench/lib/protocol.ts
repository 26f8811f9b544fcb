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

export type Command =
  | { op: "connect"; kind: "parley" | "baseline"; clients: ClientSpec[]; concurrency: number; timeoutMs: number }
  | { op: "send"; plan: SendPlan }
  | { op: "deliveries" }
  | { op: "progress" }
  | { op: "alive" }
  | { op: "http"; plan: HttpPlan }
  | { op: "close" };

export type Request = { id: number; command: Command };
export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
