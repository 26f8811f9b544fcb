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
import { BudgetedCalls } from "./budgeted-calls";
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

/** What a connection that has called `channels:focus` keeps about its calls (nothing before its first). */
export interface FocusCalls {
  focusCalls?: BudgetedCalls;
}

type FocusingSocket = Socket & { data: FocusState & FocusCalls & { actor: Actor } };

/** The `channels:focus` listener every connection shares (Socket.IO calls it with the socket as `this`). */
export function focusListener<S extends FocusingSocket>(deps: Deps, log: Logger, callsPer10s = DEFAULT_FOCUS_CALLS) {
  return sharedAckListener<S>("channels:focus", log, async (socket, payload) => {
    const calls: BudgetedCalls = (socket.data.focusCalls ??= new BudgetedCalls(callsPer10s, FOCUS_WINDOW_MS));
    await calls.run(
      () => focusChannels(deps, { actor: socket.data.actor, input: payload }),
      (channels) => {
        if (socket.connected) applyFocus(socket, channels);
      },
      (retryAfterMs) => errors.budgetSpent(retryAfterMs, "Too many channels:focus calls on this connection."),
    );
  });
}
