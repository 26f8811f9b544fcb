// How the activity of a new message reaches every gateway's passive connections. The node that
// publishes `message.created` (a gateway, or an API node) hands it to an ActivitySink: a
// gateway coalesces it for its own connections and tells the other gateways through Socket.IO's
// serverSideEmit (Redis pub/sub or sharded pub/sub underneath); an API node, which holds no
// sockets, only tells the gateways. Each gateway then announces it locally, once per window,
// as one broadcast: one encoded payload for all of its passive connections of the server.
import type { ChannelActivity } from "../../lib/gateway-events";
import { rooms } from "../../lib/gateway-events";
import type { Logger } from "../../lib/logger";
import { ActivityCoalescer } from "./activity-coalescer";
import type { GatewayServer } from "./gateway";

/** Takes the activity of every message a node publishes. Never throws. */
export type ActivitySink = (activity: ChannelActivity) => void;

/** The inter-node event, on gateways and on API nodes' emitters alike. */
const PEER_EVENT = "channel:activity";

/** A gateway's sink; `shared` when other gateways share its fan-out (Redis). */
export function gatewayActivity(io: GatewayServer, { shared, log }: { shared: boolean; log: Logger }): { sink: ActivitySink; close(): void } {
  const coalescer = new ActivityCoalescer(
    (activity) => {
      const passive = rooms.passive(activity.serverId);
      // No passive connection of this server here: nothing to encode.
      if (!io.of("/").adapter.rooms.has(passive)) return;
      io.local.to(passive).except(rooms.focus(activity.channelId)).emit("channel:activity", activity);
    },
    { onError: (err) => log.warn({ err }, "channel:activity delivery failed") },
  );
  if (!shared) return { sink: (activity) => coalescer.note(activity), close: () => coalescer.close() };

  const fromPeer = (activity: unknown) => {
    if (isActivity(activity)) coalescer.note(activity);
  };
  io.on(PEER_EVENT, fromPeer);
  return {
    sink: (activity) => {
      coalescer.note(activity);
      try {
        io.serverSideEmit(PEER_EVENT, activity);
      } catch (err) {
        log.warn({ err }, "could not tell the other gateways about channel activity");
      }
    },
    close: () => {
      io.off(PEER_EVENT, fromPeer);
      coalescer.close();
    },
  };
}

/** The sink of a node without sockets: it only tells the gateways. */
export function peerActivity(peers: { serverSideEmit(event: string, ...args: unknown[]): unknown }, log: Logger): ActivitySink {
  return (activity) => {
    try {
      peers.serverSideEmit(PEER_EVENT, activity);
    } catch (err) {
      log.warn({ err }, "could not tell the gateways about channel activity");
    }
  };
}

/** Another node's payload, checked before it touches the coalescer (it arrives through Redis). */
function isActivity(value: unknown): value is ChannelActivity {
  const a = value as Partial<ChannelActivity> | null;
  return typeof a === "object" && a !== null && [a.channelId, a.serverId, a.lastMessageId].every((v) => typeof v === "string" && /^[0-9]{1,20}$/.test(v));
}
