// How the activity of a new message reaches every gateway's passive connections
// (gateway-announcements.ts): each gateway announces it locally, once per window, as one
// broadcast: one encoded payload for all of its passive connections of the server.
import type { ChannelActivity } from "../../lib/gateway-events";
import { rooms } from "../../lib/gateway-events";
import type { Logger } from "../../lib/logger";
import { ActivityCoalescer } from "./activity-coalescer";
import type { GatewayServer } from "./gateway";
import { gatewaySink, isIdText, peerSink, type Sink } from "./gateway-announcements";

/** Takes the activity of every message a node publishes. Never throws. */
export type ActivitySink = Sink<ChannelActivity>;

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
  return gatewaySink(io, { event: PEER_EVENT, coalescer, isValid: isActivity, shared, log });
}

/** The sink of a node without sockets: it only tells the gateways. */
export function peerActivity(peers: { serverSideEmit(event: string, ...args: unknown[]): unknown }, log: Logger): ActivitySink {
  return peerSink(peers, PEER_EVENT, log);
}

/** Another node's payload, checked before it touches the coalescer (it arrives through Redis). */
function isActivity(value: unknown): value is ChannelActivity {
  const a = value as Partial<ChannelActivity> | null;
  return typeof a === "object" && a !== null && [a.channelId, a.serverId, a.lastMessageId].every(isIdText);
}
