// No hole a connected client cannot see (issue 13): Redis pub/sub keeps nothing, so what was
// published while a node's fan-out connections were cut (Redis down or restarted, a lost
// subscription) never reaches the connections that should have heard it, and they stay
// connected, so no reconnect makes them look. When a node's fan-out connection is ready again
// after a cut, the connections that may have missed something are told `gateway:resync`, and
// fill what they hold from history (docs/api.md):
// - the node's subscriber was cut: its own connections missed what others published;
// - its publisher was cut: every other node's connections missed what it published.
// One notice per recovery: connections coming back together are announced once, a moment
// after the last, when the subscriptions are in place again.
import type { Redis } from "ioredis";
import { onReconnected } from "../../lib/adapters/redis/client";
import type { Logger } from "../../lib/logger";

/** A broadcast of the notice: Socket.IO's `io` and `io.local`, @socket.io/redis-emitter's Emitter. */
export interface ResyncTarget {
  emit(event: "gateway:resync", payload: Record<string, never>): unknown;
}

export interface FanoutConnections {
  /** Subscriptions of this node's connections; `local` reaches those connections. */
  subscriber?: { client: Redis; local: ResyncTarget };
  /** What this node publishes; `everyone` reaches the whole deployment. */
  publisher: { client: Redis; everyone: ResyncTarget };
}

/** How long after the last connection came back the notice goes out (resubscribing takes a round trip). */
export const RESYNC_SETTLE_MS = 1_000;

export function announceFanoutGaps({ subscriber, publisher }: FanoutConnections, log: Logger, settleMs = RESYNC_SETTLE_MS): () => void {
  let timer: NodeJS.Timeout | undefined;
  let target: ResyncTarget | undefined;
  const announce = () => {
    timer = undefined;
    log.info({ everyone: target === publisher.everyone }, "fan-out was cut and is back: telling connections to resync from history");
    target?.emit("gateway:resync", {});
    target = undefined;
  };
  const cutWas = (reach: ResyncTarget) => () => {
    // The wider reach wins: `everyone` includes this node's own connections.
    if (target !== publisher.everyone) target = reach;
    clearTimeout(timer);
    timer = setTimeout(announce, settleMs);
    timer.unref();
  };
  const stops = [onReconnected(publisher.client, cutWas(publisher.everyone))];
  if (subscriber) stops.push(onReconnected(subscriber.client, cutWas(subscriber.local)));
  return () => {
    clearTimeout(timer);
    for (const stop of stops) stop();
  };
}
