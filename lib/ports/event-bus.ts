import type { Channel, Member, Message, PresenceStatus, Server } from "../domain/types";
import type { Snowflake } from "../ids/snowflake";
import type { ReadState } from "./read-state-store";

/** Everything the domain announces; the gateway turns each into socket events. */
export type ParleyEvent =
  | { type: "message.created"; message: Message }
  | { type: "typing.started"; serverId: Snowflake; channelId: Snowflake; userId: Snowflake }
  /** `serverIds`: the user's small servers, whose members all hear it (large servers' watchers hear it from their member lists). */
  | { type: "presence.changed"; userId: Snowflake; status: PresenceStatus; serverIds: Snowflake[]; at: number }
  | { type: "server.joined"; userId: Snowflake; server: Server }
  /** `memberCount` after the change: above 250 only member-list watchers hear it. */
  | { type: "member.added"; serverId: Snowflake; member: Member; memberCount: number }
  | { type: "member.removed"; serverId: Snowflake; userId: Snowflake; memberCount: number }
  | { type: "channel.created"; channel: Channel }
  | { type: "read-state.updated"; userId: Snowflake; readState: ReadState };

/**
 * Fan-out of domain events to every connected client, on every node.
 * Delivery is best effort (at most once): history is the source of truth, and clients fill
 * gaps from it. `publish` never throws for a delivery problem; it logs and moves on.
 */
export interface EventBus {
  publish(event: ParleyEvent): Promise<void>;
}
