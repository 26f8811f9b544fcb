// Messages between the big-server scenario and its load workers (bench/lib/big-server-worker.ts).
import type { ClientSpec } from "./protocol";

/** A member's connection; a watcher also subscribes to `ranges` of the server's member list. */
export interface BigServerClient extends ClientSpec {
  role: "member" | "watcher";
  /** Members whose status the scenario changes (watchers' users are left alone). */
  changes?: boolean;
  ranges?: Array<[number, number]>;
}

/** Frames of the kinds a big server's presence costs, summed over one role's connections. */
export interface FrameCounts {
  presence: number;
  memberAdd: number;
  memberRemove: number;
  list: number;
}

export interface FramesReport {
  connections: { member: number; watcher: number };
  member: FrameCounts;
  watcher: FrameCounts;
}

export interface StatusPlan {
  /** Status changes per second this worker makes, spread evenly, for `durationMs`. */
  rate: number;
  durationMs: number;
  /** Half of the changes go to `invisible` and back (rows move between groups). */
  invisible: boolean;
}

export interface StatusReport {
  attempted: number;
  acked: number;
  failures: Record<string, number>;
  /** Users whose status changed (acked), once per change. */
  changedUserIds: string[];
  /** Changes that moved a member between the online and offline groups. */
  groupMoves: number;
}

export interface SubscribeReport {
  acked: number;
  /** Acks that said no (ok: false) or never came (a server without members:subscribe). */
  refused: number;
  errors: string[];
  /** members:subscribe sent -> first members:list, ms, per watcher that got one. */
  syncMs: number[];
}

export interface CopyCheck {
  checked: number;
  matched: number;
  /** The first difference found, for the report. */
  difference?: string;
}

export type BigServerCommand =
  | { op: "connect"; clients: BigServerClient[]; concurrency: number; timeoutMs: number }
  | { op: "frames"; reset: boolean }
  | { op: "subscribe"; serverId: string; timeoutMs: number }
  | { op: "status"; plan: StatusPlan }
  /** For each watcher, how many of `userIds` its ranges held (at its SYNC or now), summed. */
  | { op: "holding"; userIds: string[] }
  /** The first `count` watchers compare their copy with a fresh SYNC of the same ranges. */
  | { op: "check-copies"; serverId: string; count: number; timeoutMs: number }
  | { op: "alive" }
  | { op: "close" };
