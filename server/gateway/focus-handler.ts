// `channels:focus` on one connection: the use case checks the channels, this applies them to
// the socket's rooms (derived-rooms.ts). Calls are applied one after the other, in the order
// they arrived, so the last call made is the focus that holds.
import type { Socket } from "socket.io";
import type { Deps } from "../../lib/deps";
import type { Actor } from "../../lib/domain/types";
import { errors } from "../../lib/errors";
import type { Logger } from "../../lib/logger";
import { focusChannels } from "../../lib/use-cases/focus-channels";
import { sharedAckListener } from "./acks";
import { applyFocus, type FocusState } from "./derived-rooms";

/**
 * The abuse limit: `channels:focus` calls one connection may make in any FOCUS_WINDOW_MS
 * (FOCUS_CALLS_PER_10S, default 10). A client focuses what is on screen, so it calls on every
 * channel switch: 10 in 10 s is far above what a person clicking does, and bounds the room
 * churn one connection can cause. Over it the call is acked RATE_LIMITED (after validation and
 * access, as the contract orders errors) and the previous focus stays. A refused call changes
 * nothing, so it waits for nobody; while one refused call is still being checked, further ones
 * are refused at once, so a client that floods cannot queue up work.
 */
export const DEFAULT_FOCUS_CALLS = 10;
export const FOCUS_WINDOW_MS = 10_000;

interface CallState {
  budget: CallBudget;
  /** The last call within the budget: the next one is applied after it. */
  previous: Promise<unknown>;
  /** A call over the budget is being checked. */
  refusing: boolean;
}

/** What a connection that has called `channels:focus` keeps about its calls (nothing before its first). */
export interface FocusCalls {
  focusCalls?: CallState;
}

type FocusingSocket = Socket & { data: FocusState & FocusCalls & { actor: Actor } };

/** The `channels:focus` listener every connection shares (Socket.IO calls it with the socket as `this`). */
export function focusListener<S extends FocusingSocket>(deps: Deps, log: Logger, callsPer10s = DEFAULT_FOCUS_CALLS) {
  return sharedAckListener<S>("channels:focus", log, async (socket, payload) => {
    const calls = (socket.data.focusCalls ??= { budget: new CallBudget(callsPer10s, FOCUS_WINDOW_MS), previous: Promise.resolve(), refusing: false });
    const retryAfterMs = calls.budget.take(performance.now());
    if (retryAfterMs > 0) {
      const refusal = errors.budgetSpent(retryAfterMs, "Too many channels:focus calls on this connection.");
      if (calls.refusing) throw refusal;
      calls.refusing = true;
      try {
        await focusChannels(deps, { actor: socket.data.actor, input: payload }); // its own 400 or 403 comes first
      } finally {
        calls.refusing = false;
      }
      throw refusal;
    }
    const applied = calls.previous.then(async () => {
      const channels = await focusChannels(deps, { actor: socket.data.actor, input: payload });
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
