// The member-list service on a gateway: `members:subscribe` on each connection (checked by the
// use case, budgeted per connection), and the hub's output sent to this gateway's sockets.
import type { Socket } from "socket.io";
import type { Deps } from "../../lib/deps";
import type { Actor } from "../../lib/domain/types";
import { errors } from "../../lib/errors";
import type { Logger } from "../../lib/logger";
import { loadMemberRows } from "../../lib/use-cases/shared/member-rows";
import { subscribeMemberList } from "../../lib/use-cases/subscribe-member-list";
import { MemberListHub, type HubOutput } from "../member-lists/member-list-hub";
import { gatewayMetrics } from "../metrics";
import { sharedAckListener } from "./acks";
import { BudgetedCalls } from "./budgeted-calls";
import { FOCUS_WINDOW_MS } from "./focus-handler";
import type { GatewayServer } from "./gateway";
import type { PresenceAnnouncement } from "./presence-announcements";

export const DEFAULT_MEMBER_LIST_SUBSCRIBES = 20;

/** What a connection that has called `members:subscribe` keeps (nothing before its first). */
export interface MemberListCalls {
  memberListCalls?: BudgetedCalls;
}

type SubscribingSocket = Socket & { data: MemberListCalls & { actor: Actor } };

/** Sends the hub's output to sockets of this gateway. Bound once the gateway and its presence exist. */
export class GatewayMemberListOutput implements HubOutput {
  io?: GatewayServer;
  presenceNote?: (announcement: PresenceAnnouncement) => void;

  list(socketIds: string[], update: Parameters<HubOutput["list"]>[1]): void {
    if (!this.io) return;
    // One serialization for the whole group (the same ranges get the same frame).
    if (socketIds.length === 1) this.io.of("/").sockets.get(socketIds[0]!)?.emit("members:list", update);
    else this.io.local.to(socketIds).emit("members:list", update);
    gatewayMetrics().memberListFrames.inc(socketIds.length);
  }
  presence(socketIds: string[], { userId, status, at }: Parameters<HubOutput["presence"]>[1]): void {
    this.presenceNote?.({ userId, status, at, serverIds: [], socketIds });
  }
  memberAdd(socketIds: string[], payload: Parameters<HubOutput["memberAdd"]>[1]): void {
    this.io?.local.to(socketIds).emit("member:add", payload);
  }
  memberRemove(socketIds: string[], payload: Parameters<HubOutput["memberRemove"]>[1]): void {
    this.io?.local.to(socketIds).emit("member:remove", payload);
  }
}

export function createMemberListHub(deps: Deps, log: Logger): { hub: MemberListHub; output: GatewayMemberListOutput } {
  const output = new GatewayMemberListOutput();
  const hub = new MemberListHub(deps.memberLists, (serverId) => loadMemberRows(deps, serverId), output, log);
  gatewayMetrics().memberLists.stats = () => hub.stats();
  return { hub, output };
}

/**
 * The `members:subscribe` listener every connection shares. The abuse limit: calls per
 * connection in any 10 s (MEMBER_LIST_SUBSCRIBES_PER_10S, default 20: a member list scrolled
 * quickly subscribes to a new block every few hundred pixels). Over it the call is acked
 * RATE_LIMITED after its own validation and access errors, and the previous ranges stay.
 * The SYNC follows the ack.
 */
export function memberListListener<S extends SubscribingSocket>(deps: Deps, log: Logger, hub: MemberListHub, callsPer10s = DEFAULT_MEMBER_LIST_SUBSCRIBES) {
  return sharedAckListener<S>("members:subscribe", log, async (socket, payload) => {
    const calls: BudgetedCalls = (socket.data.memberListCalls ??= new BudgetedCalls(callsPer10s, FOCUS_WINDOW_MS));
    const subscriber = { id: socket.id, userId: socket.data.actor.userId };
    await calls.run(
      () => subscribeMemberList(deps, { actor: socket.data.actor, input: payload }),
      ({ serverId, ranges }) =>
        // After the ack (the contract sends the SYNC after it).
        setImmediate(() => {
          if (!socket.connected) return;
          hub.subscribe(subscriber, serverId, ranges).catch((err) => log.warn({ err }, "members:subscribe failed"));
        }),
      (retryAfterMs) => errors.budgetSpent(retryAfterMs, "Too many members:subscribe calls on this connection."),
    );
  });
}
