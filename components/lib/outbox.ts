// The queue of my messages on their way to the server. Nothing typed is dropped: a message
// waits while the gateway is down, is retried with the same nonce (so the server stores it at
// most once) after a transient failure, and is marked failed only when retrying cannot help
// (the server refused it) or MAX_ATTEMPTS transient failures in a row used up the retries.
// Within a channel, messages go one at a time in the order they were written.
import type { Message } from "../../lib/domain/types";
import type { ErrorCode } from "../../lib/errors";
import type { Ack } from "../../lib/gateway-events";
import type { Snowflake } from "../../lib/ids/snowflake";

export type OutboxState = "queued" | "sending" | "failed";

export interface OutboxItem {
  nonce: string;
  channelId: Snowflake;
  content: string;
}

export interface OutboxDeps {
  /** One attempt; resolves with the server's ack or a synthetic failure, never rejects. */
  send(item: OutboxItem): Promise<Ack<{ message: Message }>>;
  isConnected(): boolean;
  delivered(item: OutboxItem, message: Message): void;
  stateChanged(item: OutboxItem, state: OutboxState, error?: string): void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
}

export const MAX_ATTEMPTS = 5;
const MAX_DELAY_MS = 15_000;
/** Answers that the same request will get again, however often it is retried. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set(["VALIDATION_FAILED", "FORBIDDEN", "NOT_FOUND", "PAYLOAD_TOO_LARGE", "UNAUTHORIZED", "CONFLICT"]);

interface Entry extends OutboxItem {
  state: OutboxState;
  /** Transient failures in a row while connected. */
  attempts: number;
  busy: boolean;
  timer?: unknown;
}

export class Outbox {
  private readonly queues = new Map<Snowflake, Entry[]>();
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly random: () => number;

  constructor(private readonly deps: OutboxDeps) {
    this.setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = deps.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.random = deps.random ?? Math.random;
  }

  add(item: OutboxItem): void {
    if (this.find(item.channelId, item.nonce)) return;
    const queue = this.queues.get(item.channelId) ?? [];
    this.queues.set(item.channelId, queue);
    queue.push({ ...item, state: "queued", attempts: 0, busy: false });
    this.pump(item.channelId);
  }

  /** A failed message goes back in line, with a fresh set of attempts and the same nonce. */
  retry(channelId: Snowflake, nonce: string): void {
    const entry = this.find(channelId, nonce);
    if (!entry || entry.state !== "failed") return;
    entry.attempts = 0;
    this.setState(entry, "queued");
    this.pump(channelId);
  }

  /**
   * Forgets a message that is not on the wire right now (a failed one the person deletes).
   * False only when it is in flight: the server may be storing it this very moment.
   */
  discard(channelId: Snowflake, nonce: string): boolean {
    const entry = this.find(channelId, nonce);
    if (!entry) return true;
    if (entry.busy) return false;
    this.remove(entry);
    this.pump(channelId);
    return true;
  }

  /** The server's own `message:create` for one of mine: nothing left to send for it. */
  confirmed(channelId: Snowflake, nonce: string): void {
    const entry = this.find(channelId, nonce);
    if (entry && !entry.busy) this.discard(channelId, nonce);
  }

  connectionChanged(connected: boolean): void {
    for (const [channelId, queue] of this.queues) {
      if (connected) {
        this.pump(channelId);
        continue;
      }
      // Waiting for a retry is pointless offline: wait for the connection instead.
      for (const entry of queue) {
        if (entry.timer !== undefined) this.clearTimer(entry.timer);
        entry.timer = undefined;
        if (entry.state === "sending" && !entry.busy) this.setState(entry, "queued");
      }
    }
  }

  /** Messages not yet delivered, in the order they were written per channel. */
  items(): Array<OutboxItem & { state: OutboxState }> {
    return [...this.queues.values()].flat().map(({ nonce, channelId, content, state }) => ({ nonce, channelId, content, state }));
  }

  private pump(channelId: Snowflake): void {
    const queue = this.queues.get(channelId);
    const head = queue?.find((e) => e.state !== "failed");
    if (!head || head.busy || head.timer !== undefined) return;
    if (!this.deps.isConnected()) {
      this.setState(head, "queued");
      return;
    }
    void this.attempt(head);
  }

  private async attempt(entry: Entry): Promise<void> {
    entry.busy = true;
    this.setState(entry, "sending");
    let result: Ack<{ message: Message }>;
    try {
      result = await this.deps.send(entry);
    } catch {
      result = { ok: false, error: { code: "UNAVAILABLE", message: "No answer from the server." } };
    }
    entry.busy = false;
    if (!this.isQueued(entry)) return;
    if (result.ok) {
      this.remove(entry);
      this.deps.delivered(entry, result.message);
    } else if (PERMANENT.has(result.error.code)) {
      this.setState(entry, "failed", result.error.message);
    } else if (!this.deps.isConnected()) {
      // The connection dropped under it: not the message's fault, so no attempt is counted.
      this.setState(entry, "queued");
      return;
    } else if (++entry.attempts >= MAX_ATTEMPTS) {
      this.setState(entry, "failed", result.error.message);
    } else {
      entry.timer = this.setTimer(() => {
        entry.timer = undefined;
        this.pump(entry.channelId);
      }, this.delay(entry.attempts, result.error.code));
      return;
    }
    this.pump(entry.channelId);
  }

  /** Exponential backoff with jitter; a rate limit clears within a second. */
  private delay(attempts: number, code: ErrorCode): number {
    if (code === "RATE_LIMITED") return 1_000 + this.random() * 500;
    return Math.min(MAX_DELAY_MS, 1_000 * 2 ** (attempts - 1)) * (0.5 + this.random());
  }

  private setState(entry: Entry, state: OutboxState, error?: string): void {
    if (entry.state === state && state !== "failed") return;
    entry.state = state;
    this.deps.stateChanged(entry, state, error);
  }

  private find(channelId: Snowflake, nonce: string): Entry | undefined {
    return this.queues.get(channelId)?.find((e) => e.nonce === nonce);
  }

  private isQueued(entry: Entry): boolean {
    return this.queues.get(entry.channelId)?.includes(entry) ?? false;
  }

  private remove(entry: Entry): void {
    if (entry.timer !== undefined) this.clearTimer(entry.timer);
    const queue = this.queues.get(entry.channelId);
    if (!queue) return;
    const rest = queue.filter((e) => e !== entry);
    if (rest.length) this.queues.set(entry.channelId, rest);
    else this.queues.delete(entry.channelId);
  }
}
