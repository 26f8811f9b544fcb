// No hole a connected client cannot see (issue 13): Redis pub/sub keeps nothing, so what was
// published while a node's fan-out connections were cut (Redis down or restarted, a lost
// subscription, a publish that failed) never reaches the connections that should have heard
// it, and they stay connected, so no reconnect makes them look. When any fan-out connection
// of a node is ready again, the node tells every connection of the deployment
// `gateway:resync`; clients then fill what they hold from history (docs/api.md). One notice
// per recovery: the connections coming back together are announced once, a moment after the
// last, when the subscriptions are in place again.
import type { Redis } from "ioredis";
import { onReconnected } from "../../lib/adapters/redis/client";
import type { ServerToClientEvents } from "../../lib/gateway-events";
import type { Logger } from "../../lib/logger";

/** Socket.IO's Server and @socket.io/redis-emitter's Emitter: a broadcast to every connection. */
export interface Everyone {
  emit(event: keyof ServerToClientEvents, payload: unknown): unknown;
}

/** How long after the last connection came back the notice goes out (resubscribing takes a round trip). */
export const RESYNC_SETTLE_MS = 1_000;

export function announceFanoutGaps(clients: Redis[], everyone: Everyone, log: Logger, settleMs = RESYNC_SETTLE_MS): () => void {
  let timer: NodeJS.Timeout | undefined;
  const announce = () => {
    timer = undefined;
    log.info("fan-out was cut and is back: telling every connection to resync from history");
    everyone.emit("gateway:resync", {});
  };
  const stops = clients.map((client) =>
    onReconnected(client, () => {
      clearTimeout(timer);
      timer = setTimeout(announce, settleMs);
      timer.unref();
    }),
  );
  return () => {
    clearTimeout(timer);
    for (const stop of stops) stop();
  };
}
