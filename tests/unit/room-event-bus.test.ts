// The mapping from domain events to Socket.IO room operations, against a recording fake of
// Socket.IO's room API (a fake of the transport, not of our storage).
import { describe, expect, test, vi } from "vitest";
import type { Channel, Member, Message, Server } from "../../lib/domain/types";
import type { ChannelActivity, PresenceChange } from "../../lib/gateway-events";
import type { Logger } from "../../lib/logger";
import type { ParleyEvent } from "../../lib/ports/event-bus";
import { RoomEventBus, deliver, type RoomOperator, type RoomTarget } from "../../server/gateway/room-event-bus";

interface Operation {
  rooms: string[];
  except: string[];
  action: "emit" | "socketsJoin" | "socketsLeave";
  args: unknown[];
}

function recordingTarget() {
  const operations: Operation[] = [];
  const list = (r: string | string[]) => (Array.isArray(r) ? r : [r]);
  const operator = (rooms: string[], except: string[]): RoomOperator => ({
    except: (r) => operator(rooms, [...except, ...list(r)]),
    emit: (event, payload) => operations.push({ rooms, except, action: "emit", args: [event, payload] }),
    socketsJoin: (r) => operations.push({ rooms, except, action: "socketsJoin", args: [list(r)] }),
    socketsLeave: (r) => operations.push({ rooms, except, action: "socketsLeave", args: [list(r)] }),
  });
  const target: RoomTarget = { to: (r) => operator(list(r), []), in: (r) => operator(list(r), []) };
  return { target, operations };
}

function deliverOne(event: ParleyEvent): Operation[] {
  return deliverWithActivity(event).operations;
}

function deliverWithActivity(event: ParleyEvent): { operations: Operation[]; activity: ChannelActivity[]; presence: PresenceChange[] } {
  const { target, operations } = recordingTarget();
  const activity: ChannelActivity[] = [];
  const presence: PresenceChange[] = [];
  deliver(target, event, { activity: (a) => activity.push(a), presence: (c) => presence.push(c) });
  return { operations, activity, presence };
}

const noSinks = { activity: () => {}, presence: () => {} };

const user = { id: "100", username: "alice", displayName: "Alice" };
const channel: Channel = { id: "300", serverId: "200", name: "general", type: "text", position: 0 };
const server: Server = { id: "200", name: "Club", ownerId: "100", channels: [channel] };
const message: Message = { id: "400", channelId: "300", serverId: "200", author: user, content: "hi", nonce: "n1", createdAt: "2026-02-01T00:00:00.000Z" };
const member: Member = { user: { ...user, id: "101" }, joinedAt: "2026-02-01T00:00:00.000Z", status: "online" };

describe("deliver", () => {
  test("a new message goes in full to the server's connections that never focused and to those focusing its channel, the author's own included", () => {
    expect(deliverOne({ type: "message.created", message })).toEqual([
      { rooms: ["all:200"], except: [], action: "emit", args: ["message:create", message] },
      { rooms: ["focus:300"], except: [], action: "emit", args: ["message:create", message] },
    ]);
  });

  test("a new message's activity goes to the node's activity sink, after the message itself", () => {
    const { operations, activity } = deliverWithActivity({ type: "message.created", message });
    expect(operations).toHaveLength(2);
    expect(activity).toEqual([{ channelId: "300", serverId: "200", lastMessageId: "400" }]);
  });

  test("no other event is channel activity", () => {
    const others: ParleyEvent[] = [
      { type: "typing.started", serverId: "200", channelId: "300", userId: "100" },
      { type: "channel.created", channel },
      { type: "server.joined", userId: "100", server },
    ];
    for (const event of others) expect(deliverWithActivity(event).activity).toEqual([]);
  });

  test("typing goes to the server room except the typer, as {channelId, userId}", () => {
    expect(deliverOne({ type: "typing.started", serverId: "200", channelId: "300", userId: "100" })).toEqual([
      { rooms: ["server:200"], except: ["user:100"], action: "emit", args: ["typing:start", { channelId: "300", userId: "100" }] },
    ]);
  });

  test("a presence change goes to the node's presence sink (coalesced per user on every gateway), not straight to rooms", () => {
    const { operations, presence } = deliverWithActivity({ type: "presence.changed", userId: "100", status: "dnd", serverIds: ["200", "201"], at: 5 });
    expect(operations).toEqual([]);
    expect(presence).toEqual([{ userId: "100", status: "dnd", serverIds: ["200", "201"], at: 5 }]);
  });

  test("a read marker goes only to the reader's own connections", () => {
    const readState = { channelId: "300", lastReadId: "400" };
    expect(deliverOne({ type: "read-state.updated", userId: "100", readState })).toEqual([
      { rooms: ["user:100"], except: [], action: "emit", args: ["read-state:update", readState] },
    ]);
  });

  test("a presence change of a user in no server sends nothing", () => {
    const { operations, presence } = deliverWithActivity({ type: "presence.changed", userId: "100", status: "online", serverIds: [], at: 5 });
    expect(operations).toEqual([]);
    expect(presence).toEqual([]);
  });

  test("joining a server puts every socket of the user in its room, then tells those sockets", () => {
    expect(deliverOne({ type: "server.joined", userId: "100", server })).toEqual([
      { rooms: ["user:100"], except: [], action: "socketsJoin", args: [["server:200"]] },
      { rooms: ["user:100"], except: [], action: "emit", args: ["server:join", server] },
    ]);
  });

  test("a new member is announced to the server's other members", () => {
    expect(deliverOne({ type: "member.added", serverId: "200", member, memberCount: 250 })).toEqual([
      { rooms: ["server:200"], except: ["user:101"], action: "emit", args: ["member:add", { serverId: "200", member }] },
    ]);
  });

  test("a large server's new member is left to its member-list watchers", () => {
    expect(deliverOne({ type: "member.added", serverId: "200", member, memberCount: 251 })).toEqual([]);
  });

  test("a large server's leaver hears it on their own sockets only (watchers hear it from the member list)", () => {
    expect(deliverOne({ type: "member.removed", serverId: "200", userId: "101", memberCount: 251 })).toEqual([
      { rooms: ["user:101"], except: [], action: "emit", args: ["member:remove", { serverId: "200", userId: "101" }] },
      { rooms: ["user:101"], except: [], action: "socketsLeave", args: [["server:200"]] },
    ]);
  });

  test("a leaver is announced to the server and to the leaver's own sockets, which then leave the room", () => {
    expect(deliverOne({ type: "member.removed", serverId: "200", userId: "101", memberCount: 250 })).toEqual([
      { rooms: ["server:200", "user:101"], except: [], action: "emit", args: ["member:remove", { serverId: "200", userId: "101" }] },
      { rooms: ["user:101"], except: [], action: "socketsLeave", args: [["server:200"]] },
    ]);
  });

  test("a new channel is announced to the server room", () => {
    expect(deliverOne({ type: "channel.created", channel })).toEqual([
      { rooms: ["server:200"], except: [], action: "emit", args: ["channel:create", channel] },
    ]);
  });
});

describe("RoomEventBus", () => {
  test("publishing delivers through the target", async () => {
    const { target, operations } = recordingTarget();
    await new RoomEventBus(target, { warn: vi.fn() } as unknown as Logger, noSinks).publish({ type: "channel.created", channel });
    expect(operations).toHaveLength(1);
  });

  test("a delivery failure is logged, never thrown at the use case", async () => {
    const warn = vi.fn();
    const broken: RoomTarget = {
      to: () => {
        throw new Error("adapter down");
      },
      in: () => {
        throw new Error("adapter down");
      },
    };
    await expect(new RoomEventBus(broken, { warn } as unknown as Logger, noSinks).publish({ type: "message.created", message })).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ event: "message.created" }), expect.any(String));
  });
});
