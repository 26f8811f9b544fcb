// Which gateway node to open Socket.IO on (contract v2 "Directory"): asked before the first
// connection, after a connection drops, and followed when a stopping node says where to go.
// The URL may carry a path (one per node behind a proxy, docs/deploy/nginx.conf): Socket.IO's
// path is then that path plus /gateway. When the directory cannot answer, the app's own
// origin is used, as before the directory existed.
import type { ParleySocket } from "./listeners";

const GATEWAY_PATH = "/gateway";

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

/** Points the socket's next (re)connection at `url`; the session id and offset stay with the socket. */
export function pointAt(socket: ParleySocket, url: string | undefined): void {
  const target = url ? safeUrl(url) : undefined;
  const manager = socket.io as unknown as { uri: string; opts: { path?: string } };
  manager.uri = target ? target.origin : window.location.origin;
  manager.opts.path = target ? `${target.pathname.replace(/\/+$/, "")}${GATEWAY_PATH}` : GATEWAY_PATH;
}

function safeUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Follows the directory: `gateway:reconnect` points at the node named and drops the transport
 * (Socket.IO reconnects there after its usual jittered delay); a connection lost otherwise asks
 * the directory again before Socket.IO's next attempt.
 */
export function followDirectory(socket: ParleySocket): () => void {
  let moving = false;
  const onReconnect = ({ url }: { url: string }) => {
    moving = true;
    pointAt(socket, url);
    socket.io.engine?.close();
  };
  const onDisconnect = (reason: string) => {
    if (moving || reason === "io client disconnect") {
      moving = false;
      return;
    }
    void lookUpGateway().then((url) => pointAt(socket, url));
  };
  socket.on("gateway:reconnect", onReconnect);
  socket.on("disconnect", onDisconnect);
  return () => {
    socket.off("gateway:reconnect", onReconnect);
    socket.off("disconnect", onDisconnect);
  };
}
