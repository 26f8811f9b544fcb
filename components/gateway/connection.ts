// The connection state people see (connected / reconnecting / offline) and the moments the
// rest of the client reacts to. Socket.IO retries with exponential backoff and jitter; when
// the browser reports the network is back we retry at once instead of waiting out the delay.
import { useConnectionStore, type ConnectionStatus } from "../state/connection-store";
import type { ParleySocket } from "./listeners";

export const RECONNECT_OPTIONS = {
  reconnectionDelay: 1_000,
  reconnectionDelayMax: 15_000,
  /** Spreads the retries of many clients after a restart over ±50% of each delay. */
  randomizationFactor: 0.5,
};

export function trackConnection(socket: ParleySocket, hooks: { connected(): void; disconnected(): void }): () => void {
  const setStatus = useConnectionStore.getState().setStatus;
  let everConnected = false;
  const notConnected = (): ConnectionStatus =>
    typeof navigator !== "undefined" && !navigator.onLine ? "offline" : everConnected ? "reconnecting" : "connecting";

  socket.on("connect", () => {
    everConnected = true;
    setStatus("connected");
    hooks.connected();
  });
  socket.on("disconnect", (reason) => {
    setStatus(notConnected());
    hooks.disconnected();
    // A server-side disconnect is not retried automatically by Socket.IO.
    if (reason === "io server disconnect") socket.connect();
  });
  socket.on("connect_error", (error) => setStatus(error.message === "UNAUTHORIZED" ? "unauthorized" : notConnected()));

  const onOnline = () => {
    if (socket.connected) return;
    setStatus(notConnected());
    // Drop the pending backoff timer and open a fresh connection now.
    socket.disconnect();
    socket.connect();
  };
  const onOffline = () => {
    if (!socket.connected) setStatus("offline");
  };
  window.addEventListener("online", onOnline);
  window.addEventListener("offline", onOffline);
  return () => {
    window.removeEventListener("online", onOnline);
    window.removeEventListener("offline", onOffline);
  };
}
