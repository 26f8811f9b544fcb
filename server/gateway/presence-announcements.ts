// How presence changes reach every gateway's connections (gateway-announcements.ts), coalesced
// per user (contract v2): at most one `presence:update` per user per second reaches a
// connection, carrying the latest status. The first change after a quiet second goes out at
// once; later ones in that second become one update of the latest when it ends, even when it
// equals the one announced (a connection may have loaded a newer status meanwhile, from a
// members list, and must end on the latest).
import { rooms, type PresenceChange } from "../../lib/gateway-events";
import type { Snowflake } from "../../lib/ids/snowflake";
import type { Logger } from "../../lib/logger";
import type { GatewayServer } from "./gateway";
import { gatewaySink, isIdText, peerSink, type Sink } from "./gateway-announcements";
import { WindowCoalescer } from "./window-coalescer";

export const PRESENCE_WINDOW_MS = 1_000;

/** Takes every presence change a node publishes. Never throws. */
export type PresenceSink = Sink<PresenceChange>;

/** The inter-node event, on gateways and on API nodes' emitters alike. */
const PEER_EVENT = "presence:change";

const STATUSES = new Set(["online", "idle", "dnd", "offline"]);

/**
 * A change as this gateway announces it: to the members of `serverIds` (small servers), and to
 * `socketIds`, this gateway's watchers of a large server's member list that hold the user's row.
 */
export interface PresenceAnnouncement extends PresenceChange {
  socketIds?: string[];
}

export class PresenceCoalescer extends WindowCoalescer<Snowflake, PresenceAnnouncement> {
  /** `announce` sends one change to this gateway's connections; a throw is reported to `onError`. */
  constructor(announce: (change: PresenceAnnouncement) => void, options: { windowMs?: number; onError?: (err: unknown) => void } = {}) {
    super(announce, {
      windowMs: options.windowMs ?? PRESENCE_WINDOW_MS,
      keyOf: (c) => c.userId,
      // The latest change wins, by the presence store's clock (changes published by several
      // nodes, or through the member lists a round trip later, cross on their way), and whoever
      // was to hear a held or late change hears the latest status at the end of the window.
      fold: (next, pending, announced) => {
        const base = pending ?? announced;
        const latest = next.at >= base.at ? next : base;
        const socketIds = union(pending?.socketIds ?? [], next.socketIds ?? []);
        return { userId: latest.userId, status: latest.status, at: latest.at, serverIds: union(pending?.serverIds ?? [], next.serverIds), ...(socketIds.length > 0 ? { socketIds } : {}) };
      },
      onError: options.onError,
    });
  }
}

const union = (a: string[], b: string[]) => (a.length === 0 ? b : b.length === 0 ? a : [...new Set([...a, ...b])]);

/**
 * A gateway's sink, `shared` when other gateways share its fan-out (Redis), and `noteLocal` for
 * what only this gateway's sockets hear (large servers' member-list watchers).
 */
export function gatewayPresence(
  io: GatewayServer,
  { shared, log }: { shared: boolean; log: Logger },
): { sink: PresenceSink; noteLocal(announcement: PresenceAnnouncement): void; close(): void } {
  const coalescer = new PresenceCoalescer(
    ({ userId, status, serverIds, socketIds = [] }) => {
      const audience = [...serverIds.map(rooms.server), ...socketIds];
      if (audience.length === 0) return;
      io.local.to(audience).except(rooms.user(userId)).emit("presence:update", { userId, status });
    },
    { onError: (err) => log.warn({ err }, "presence:update delivery failed") },
  );
  const { sink, close } = gatewaySink(io, { event: PEER_EVENT, coalescer, isValid: isPresenceChange, shared, log });
  return { sink, noteLocal: (a) => coalescer.note(a), close };
}

/** The sink of a node without sockets: it only tells the gateways. */
export function peerPresence(peers: { serverSideEmit(event: string, ...args: unknown[]): unknown }, log: Logger): PresenceSink {
  return peerSink(peers, PEER_EVENT, log);
}

/** Another node's payload, checked before it touches the coalescer (it arrives through Redis). */
function isPresenceChange(value: unknown): value is PresenceChange {
  const c = value as Partial<PresenceChange> | null;
  return (
    typeof c === "object" &&
    c !== null &&
    isIdText(c.userId) &&
    typeof c.status === "string" &&
    STATUSES.has(c.status) &&
    Array.isArray(c.serverIds) &&
    c.serverIds.every(isIdText) &&
    typeof c.at === "number" &&
    Number.isFinite(c.at) &&
    // Socket ids mean something on their own gateway only.
    !("socketIds" in c)
  );
}
