// `channels:focus` on one connection: the use case checks the channels, this applies them to
// the socket's rooms (derived-rooms.ts). Calls are applied one after the other, in the order
// they arrived, so the last call made is the focus that holds.
import type { Socket } from "socket.io";
import type { Deps } from "../../lib/deps";
import { errors } from "../../lib/errors";
import type { Logger } from "../../lib/logger";
import { focusChannels } from "../../lib/use-cases/focus-channels";
import { sharedAckListener } from "./acks";
import { applyFocus, type FocusState } from "./derived-rooms";

/**
 * The abuse limit: `channels:focus` calls one connection may make in any FOCUS_WINDOW_MS.
 * A client focuses what is on screen, so it calls on every channel switch: 10 in 10 s is far
 * above what a person clicking does, and bounds the room churn one connection can cause.
 * Over it the call is acked RATE_LIMITED (after validation and access, as the contract orders
 * errors) and the previous focus stays.
 */
export const FOCUS_CALLS_PER_WINDOW = 10;
export const FOCUS_WINDOW_MS = 10_000;

/** What a connection that has called `channels:focus` keeps about its calls (nothing before its first). */
export interface FocusCalls {
  focusCalls?: { budget: CallBudget; previous: Promise<unknown> };
}

type FocusingSocket = Socket & { data: FocusState & FocusCalls & { actor: import("../../lib/domain/types").Actor } };

/** The `channels:focus` listener every connection shares (Socket.IO calls it with the socket as `this`). */
export function focusListener<S extends FocusingSocket>(deps: Deps, log: Logger) {
  return sharedAckListener<S>("channels:focus", log, (socket, payload) => {
    const calls = (socket.data.focusCalls ??= { budget: new CallBudget(FOCUS_CALLS_PER_WINDOW, FOCUS_WINDOW_MS), previous: Promise.resolve() });
    const retryAfterMs = calls.budget.take(performance.now());
    const applied = calls.previous.then(async () => {
      const channels = await focusChannels(deps, { actor: socket.data.actor, input: payload });
      if (retryAfterMs > 0) throw errors.rateLimited(Math.max(1, Math.ceil(retryAfterMs / 1000)), "Too many channels:focus calls on this connection.");
      if (socket.connected) applyFocus(socket, channels);
    });
    calls.previous = applied.catch(() => {});
    return applied;
  });
}

/** A sliding window of at most `limit` calls per `windowMs`; holds `limit` timestamps at most. */
export class CallBudget {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** 0 when a call at `now` (ms) is within the budget (and counts it); else ms until one would be. */
  take(now: number): number {
    while (this.times.length > 0 && now - this.times[0]! >= this.windowMs) this.times.shift();
    if (this.times.length >= this.limit) return this.times[0]! + this.windowMs - now;
    this.times.push(now);
    return 0;
  }
}
