// Which gateway node to open Socket.IO on (contract v2 "Directory"): asked before the first
// connection, after a connection drops, after each failed reconnection attempt, and followed
// when a stopping node says where to go. A browser can only use a node on the page's own
// origin (the session cookie and the page's `connect-src 'self'` both require it), one path per
// node behind a proxy (docs/deploy/nginx.conf): Socket.IO's path is then that path plus
// /gateway. Any other answer, or none, means the app's own origin, as before the directory.
import type { ParleySocket } from "./listeners";

const GATEWAY_PATH = "/gateway";
/** After a refused handshake (a node stopping, a store away, a limit), retry about this much later. */
const REFUSED_RETRY_MS = 2_000;

export async function lookUpGateway(): Promise<string | undefined> {
  try {
    const res = await fetch("/api/v1/gateway", { credentials: "same-origin", cache: "no-store" });
    if (!res.ok) return undefined;
    const { url } = (await res.json()) as { url?: unknown };
    return typeof url === "string" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The Socket.IO path for a directory answer: its path on our own origin, else the default. */
export function gatewayPathFor(url: string | undefined, here: string): string {
  if (!url) return GATEWAY_PATH;
  let target: URL;
  try {
    target = new URL(url, here);
  } catch {
    return GATEWAY_PATH;
  }
  if (target.origin !== new URL(here).origin) return GATEWAY_PATH;
  return `${target.pathname.replace(/\/+$/, "")}${GATEWAY_PATH}`;
}

/** Points the socket's next (re)connection at `url`; the session id and offset stay with the socket. */
export function pointAt(socket: ParleySocket, url: string | undefined): void {
  // socket.io-client keeps where to connect in its Manager's `uri` and `opts.path` (4.8).
  const manager = socket.io as unknown as { uri: string; opts: { path?: string } };
  manager.uri = window.location.origin;
  manager.opts.path = gatewayPathFor(url, window.location.href);
}

/**
 * Follows the directory: `gateway:reconnect` points at the node named and drops the transport
 * (Socket.IO reconnects there after its usual jittered delay); a connection lost otherwise, and
 * each failed attempt (a node that died is named until its lease ends), asks the directory again
 * before Socket.IO's next attempt. A refused handshake ends Socket.IO's own retries: unless it
 * was UNAUTHORIZED, the socket retries once more a little later, wherever the directory says.
 */
export function followDirectory(socket: ParleySocket, refusedRetryMs = REFUSED_RETRY_MS): () => void {
  let moving = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const askAgain = () => lookUpGateway().then((url) => pointAt(socket, url));
  const onReconnectNotice = ({ url }: { url: string }) => {
    moving = true;
    pointAt(socket, url);
    socket.io.engine?.close();
  };
  const onDisconnect = (reason: string) => {
    if (moving || reason === "io client disconnect") {
      moving = false;
      return;
    }
    void askAgain();
  };
  const onAttemptFailed = () => void askAgain();
  const onRefused = (error: Error) => {
    if (socket.active || error.message === "UNAUTHORIZED" || retry) return;
    retry = setTimeout(async () => {
      retry = undefined;
      await askAgain();
      if (!socket.connected) socket.connect();
    }, refusedRetryMs * (0.5 + Math.random()));
  };
  socket.on("gateway:reconnect", onReconnectNotice);
  socket.on("disconnect", onDisconnect);
  socket.on("connect_error", onRefused);
  socket.io.on("reconnect_error", onAttemptFailed);
  return () => {
    clearTimeout(retry);
    socket.off("gateway:reconnect", onReconnectNotice);
    socket.off("disconnect", onDisconnect);
    socket.off("connect_error", onRefused);
    socket.io.off("reconnect_error", onAttemptFailed);
  };
}
