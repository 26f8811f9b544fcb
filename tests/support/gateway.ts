// Real socket.io clients for gateway tests, with helpers that wait with a bound.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/gateway-events";

export type GatewayClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Connects and resolves once `ready` arrived (rejects on connect_error, e.g. UNAUTHORIZED). */
export async function connectClient(baseUrl: string, token: string | undefined, timeoutMs = 10_000): Promise<{ socket: GatewayClient; ready: Parameters<ServerToClientEvents["ready"]>[0] }> {
  const socket: GatewayClient = io(baseUrl, {
    path: "/gateway",
    transports: ["websocket"],
    auth: token === undefined ? {} : { token },
    reconnection: false,
    forceNew: true,
  });
  try {
    const ready = await new Promise<Parameters<ServerToClientEvents["ready"]>[0]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for ready")), timeoutMs);
      socket.once("ready", (payload) => {
        clearTimeout(timer);
        resolve(payload);
      });
      socket.once("connect_error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    return { socket, ready };
  } catch (err) {
    socket.close();
    throw err;
  }
}

/** Records every event of the given names, in arrival order. */
export function recordEvents(socket: GatewayClient, names: Array<keyof ServerToClientEvents>) {
  const events: Array<{ name: string; payload: any }> = [];
  for (const name of names) socket.on(name, ((payload: unknown) => events.push({ name, payload })) as never);
  return events;
}

/** Waits until `predicate` holds, polling; fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function emitWithAck<E extends keyof ClientToServerEvents>(socket: GatewayClient, event: E, payload: unknown, timeoutMs = 5_000): Promise<any> {
  return (socket.timeout(timeoutMs) as any).emitWithAck(event, payload);
}
