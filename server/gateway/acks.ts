// Socket events with acknowledgements: every outcome, including bad input and unexpected
// failures, becomes an ack; nothing a client sends can crash the connection.
import type { Socket } from "socket.io";
import { AppError, toAppError } from "../../lib/errors";
import type { Ack } from "../../lib/gateway-events";
import type { Logger } from "../../lib/logger";

type AckFn = (result: Ack) => void;

/**
 * An event listener with an acknowledgement, shared by every socket (register it with
 * `socket.on(event, listener)`): Socket.IO calls listeners with the socket as `this`, so
 * nothing is allocated per connection.
 */
export function sharedAckListener<S extends Socket>(
  event: string,
  log: Logger,
  handle: (socket: S, payload: unknown) => Promise<object | void>,
): (this: S, ...args: unknown[]) => Promise<void> {
  return function (this: S, ...args: unknown[]) {
    return answer(event, log, () => handle(this, payload(args)), args);
  };
}

const payload = (args: unknown[]) => (typeof args[0] === "function" ? undefined : args[0]);

async function answer(event: string, log: Logger, run: () => Promise<object | void>, args: unknown[]): Promise<void> {
  const last = args[args.length - 1];
  const ack: AckFn = typeof last === "function" ? (last as AckFn) : () => {};
  try {
    const result = await run();
    ack({ ok: true, ...(result ?? {}) });
  } catch (err) {
    const appError = toAppError(err);
    if (!(err instanceof AppError)) log.error({ err, event }, "gateway handler failed");
    ack({ ok: false, error: { code: appError.code, message: appError.message } });
  }
}
