// Socket events with acknowledgements: every outcome, including bad input and unexpected
// failures, becomes an ack; nothing a client sends can crash the connection.
import type { Socket } from "socket.io";
import { AppError, toAppError } from "../../lib/errors";
import type { Ack } from "../../lib/gateway-events";
import type { Logger } from "../../lib/logger";

type AckFn = (result: Ack) => void;

export function onWithAck(
  socket: Socket,
  event: string,
  log: Logger,
  handle: (payload: unknown) => Promise<object | void>,
): void {
  socket.on(event, async (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack: AckFn = typeof last === "function" ? (last as AckFn) : () => {};
    const payload = typeof args[0] === "function" ? undefined : args[0];
    try {
      const result = await handle(payload);
      ack({ ok: true, ...(result ?? {}) });
    } catch (err) {
      const appError = toAppError(err);
      if (!(err instanceof AppError)) log.error({ err, event }, "gateway handler failed");
      ack({ ok: false, error: { code: appError.code, message: appError.message } });
    }
  });
}
