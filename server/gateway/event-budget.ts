// The gateway's per-connection budget (contract v2: 120 client events per 60 s, set by
// GATEWAY_EVENTS_PER_MINUTE): every client event counts, whatever its kind; beyond it the event
// is not handled and its ack, if any, is RATE_LIMITED. A connection's sliding window is made
// on its first event and holds at most `limit` timestamps (an idle connection pays nothing).
import type { Socket } from "socket.io";
import { errors } from "../../lib/errors";
import type { Ack } from "../../lib/gateway-events";
import { CallBudget } from "./budgeted-calls";

export const EVENT_WINDOW_MS = 60_000;

interface BudgetedSocket extends Socket {
  data: { eventBudget?: CallBudget };
}

/** Wraps a shared listener (Socket.IO calls it with the socket as `this`) in the connection's budget. */
export function withinEventBudget<S extends BudgetedSocket>(limit: number, listener: (this: S, ...args: unknown[]) => unknown) {
  return function (this: S, ...args: unknown[]): unknown {
    const budget = (this.data.eventBudget ??= new CallBudget(limit, EVENT_WINDOW_MS));
    const retryAfterMs = budget.take(performance.now());
    if (retryAfterMs === 0) return listener.apply(this, args);
    const ack = args[args.length - 1];
    if (typeof ack === "function") {
      const error = errors.budgetSpent(retryAfterMs, "Too many events on this connection: slow down.");
      (ack as (result: Ack) => void)({ ok: false, error: { code: error.code, message: error.message } });
    }
    return undefined;
  };
}
