// The EventBus as Socket.IO rooms: each domain event becomes one broadcast (serialized once,
// whatever the number of recipients). The target is the local Socket.IO server or, on
// stateless API nodes, a Redis emitter: both speak the same room operations. A new message
// also goes to the node's activity sink, which tells passive connections about it, and a
// presence change to its presence sink, which coalesces it per user on every gateway.
import { isLargeServer } from "../../lib/domain/member-list/types";
import type { Message } from "../../lib/domain/types";
import type { ParleyEvent, EventBus } from "../../lib/ports/event-bus";
import type { ServerToClientEvents } from "../../lib/gateway-events";
import { rooms } from "../../lib/gateway-events";
import type { Logger } from "../../lib/logger";
import type { ActivitySink } from "./channel-activity";
import type { PresenceSink } from "./presence-announcements";

/** Where the events announced by every gateway on its own (coalesced) go. */
export interface AnnouncementSinks {
  activity: ActivitySink;
  presence: PresenceSink;
}

type EventName = keyof ServerToClientEvents;

/** The room operations shared by socket.io's Server and @socket.io/redis-emitter's Emitter. */
export interface RoomOperator {
  except(room: string | string[]): RoomOperator;
  emit(event: EventName, payload: unknown): unknown;
  socketsJoin(room: string | string[]): unknown;
  socketsLeave(room: string | string[]): unknown;
}

export interface RoomTarget {
  to(room: string | string[]): RoomOperator;
  in(room: string | string[]): RoomOperator;
}

/**
 * The rooms that hear a message in full: the server's connections that never focused (v1) and
 * those that focus its channel. They are disjoint (only passive connections focus), so each is
 * sent its own single-room broadcast: the sharded Redis adapter publishes a single-room
 * broadcast on that room's own channel (heard only by nodes with sockets in it), but any
 * broadcast to several rooms on its main channel, heard by every node. Mentions and DMs
 * (issue 14) overlap these rooms: they need one broadcast with the room walk's de-duplication.
 */
export function messageAudience(message: Message): string[] {
  return [rooms.all(message.serverId), rooms.focus(message.channelId)];
}

export function deliver(target: RoomTarget, event: ParleyEvent, sinks: AnnouncementSinks): void {
  switch (event.type) {
    case "message.created": {
      const { message } = event;
      for (const room of messageAudience(message)) target.to(room).emit("message:create", message);
      sinks.activity({ channelId: message.channelId, serverId: message.serverId, lastMessageId: message.id });
      return;
    }
    case "typing.started":
      target
        .to(rooms.server(event.serverId))
        .except(rooms.user(event.userId))
        .emit("typing:start", { channelId: event.channelId, userId: event.userId });
      return;
    case "presence.changed":
      if (event.serverIds.length === 0) return;
      sinks.presence({ userId: event.userId, status: event.status, serverIds: event.serverIds, at: event.at });
      return;
    case "server.joined":
      target.in(rooms.user(event.userId)).socketsJoin(rooms.server(event.server.id));
      target.to(rooms.user(event.userId)).emit("server:join", event.server);
      return;
    case "member.added":
      // A large server's member events reach only its member-list watchers (member-lists/).
      if (isLargeServer(event.memberCount)) return;
      target
        .to(rooms.server(event.serverId))
        .except(rooms.user(event.member.user.id))
        .emit("member:add", { serverId: event.serverId, member: event.member });
      return;
    case "member.removed":
      // The leaver's own connections hear it too, then stop receiving the server's events. In a
      // large server only they and the member-list watchers (member-lists/) hear it.
      target.to(isLargeServer(event.memberCount) ? rooms.user(event.userId) : [rooms.server(event.serverId), rooms.user(event.userId)]).emit("member:remove", {
        serverId: event.serverId,
        userId: event.userId,
      });
      target.in(rooms.user(event.userId)).socketsLeave(rooms.server(event.serverId));
      return;
    case "channel.created":
      target.to(rooms.server(event.channel.serverId)).emit("channel:create", event.channel);
      return;
    case "read-state.updated":
      // Only the reader's own connections: other tabs and devices clear the unread mark.
      target.to(rooms.user(event.userId)).emit("read-state:update", event.readState);
      return;
  }
}

export class RoomEventBus implements EventBus {
  constructor(
    private readonly target: RoomTarget,
    private readonly log: Logger,
    /** Where new messages' activity (channel-activity.ts) and presence changes (presence-announcements.ts) go. */
    private readonly sinks: AnnouncementSinks,
  ) {}

  async publish(event: ParleyEvent): Promise<void> {
    try {
      deliver(this.target, event, this.sinks);
    } catch (err) {
      this.log.warn({ err, event: event.type }, "event delivery failed");
    }
  }
}
