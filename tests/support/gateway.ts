// Real socket.io clients for gateway tests, with helpers that wait with a bound.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/gateway-events";

export type GatewayClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions {
  timeoutMs?: number;
  /** Sent with the WebSocket upgrade request, e.g. `{ Cookie: "next-auth.session-token=..." }`. */
  extraHeaders?: Record<string, string>;
}

/** A gateway socket that is not connected yet (for handshake tests). */
export function openSocket(baseUrl: string, token: string | undefined, options: ConnectOptions = {}): GatewayClient {
  // A node behind a proxy has a path of its own: Socket.IO's path is then that path plus /gateway.
  const { origin, pathname } = new URL(baseUrl);
  return io(origin, {
    path: `${pathname.replace(/\/+$/, "")}/gateway`,
    transports: ["websocket"],
    auth: token === undefined ? {} : { token },
    reconnection: false,
    forceNew: true,
    ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
  });
}

/** Connects and resolves once `ready` arrived (rejects on connect_error, e.g. UNAUTHORIZED). */
export async function connectClient(
  baseUrl: string,
  token: string | undefined,
  timeoutOrOptions: number | ConnectOptions = {},
): Promise<{ socket: GatewayClient; ready: Parameters<ServerToClientEvents["ready"]>[0] }> {
  const options = typeof timeoutOrOptions === "number" ? { timeoutMs: timeoutOrOptions } : timeoutOrOptions;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const socket = openSocket(baseUrl, token, options);
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

/** Resolves with the message of the `connect_error` the handshake ends in; rejects if it connects. */
export async function handshakeError(baseUrl: string, token: string | undefined, options: ConnectOptions = {}): Promise<string> {
  const socket = openSocket(baseUrl, token, options);
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for connect_error")), options.timeoutMs ?? 10_000);
      socket.once("connect_error", (err) => {
        clearTimeout(timer);
        resolve(err.message);
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        reject(new Error("the handshake was accepted"));
      });
    });
  } finally {
    socket.close();
  }
}

/** Lets in-flight events arrive, so a test can check that nothing more (or nothing at all) came. */
export function settle(ms = 300): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The payloads of the recorded events called `name`, in arrival order. */
export function payloadsOf(events: Array<{ name: string; payload: any }>, name: keyof ServerToClientEvents): any[] {
  return events.filter((e) => e.name === name).map((e) => e.payload);
}

/** Closes the socket and waits until the server side has seen the disconnect (bounded). */
export async function disconnect(socket: GatewayClient, timeoutMs = 2_000): Promise<void> {
  if (!socket.connected) {
    socket.close();
    return;
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    socket.once("disconnect", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close();
  });
}

/** Drops the transport as a lost network would (a recoverable close), without ending the session. */
export function loseConnection(socket: GatewayClient): Promise<void> {
  return new Promise((resolve) => {
    socket.once("disconnect", () => resolve());
    socket.io.engine.close();
  });
}

/** Reconnects the same client (its private session id and offset go with it); resolves with how it went. */
export function comeBack(socket: GatewayClient): Promise<{ ok: true; recovered: boolean } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ ok: true, recovered: socket.recovered }));
    socket.once("connect_error", (err) => resolve({ ok: false, error: err.message }));
    socket.connect();
  });
}

/** Every frame the client's next transports receive, before Socket.IO decides what to do with it. */
export function rawFrames(socket: GatewayClient): string[] {
  const frames: string[] = [];
  socket.io.on("open", () => socket.io.engine.on("packet", (packet: { data?: unknown }) => frames.push(String(packet.data ?? ""))));
  return frames;
}

/** Points the client's next (re)connection at another node (as the web client follows the directory); its session goes with it. */
export function pointAt(socket: GatewayClient, baseUrl: string): void {
  const { origin, pathname } = new URL(baseUrl);
  const manager = socket.io as unknown as { uri: string; opts: { path?: string } };
  manager.uri = origin;
  manager.opts.path = `${pathname.replace(/\/+$/, "")}/gateway`;
}
