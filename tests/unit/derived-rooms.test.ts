// The derived rooms of passive sessions, on Socket.IO's real in-memory adapter (its namespace
// reduced to the socket list it reads): all:S / passive:S and focus:C follow server:S through
// the adapter's own membership calls, whichever way a socket joins or leaves.
import type { Namespace } from "socket.io";
import { Adapter } from "socket.io-adapter";
import { describe, expect, test } from "vitest";
import type { Channel } from "../../lib/domain/types";
import { applyFocus, installDerivedRooms, type FocusState } from "../../server/gateway/derived-rooms";

function setup() {
  const sockets = new Map<string, { data: FocusState }>();
  const nsp = { name: "/", sockets, server: { encoder: {} } } as unknown as Namespace;
  const adapter = new Adapter(nsp);
  installDerivedRooms(adapter, nsp);
  /** A socket as Socket.IO builds one: join/leave through the adapter, rooms as the adapter has them. */
  const socket = (id: string) => {
    const s = {
      data: {} as FocusState,
      get rooms() {
        return adapter.socketRooms(id) ?? new Set<string>();
      },
      join: (room: string | string[]) => adapter.addAll(id, new Set(Array.isArray(room) ? room : [room])),
      leave: (room: string) => adapter.del(id, room),
    };
    sockets.set(id, s);
    return s;
  };
  const roomsOf = (id: string) => [...(adapter.socketRooms(id) ?? [])].sort();
  return { adapter, socket, roomsOf };
}

const channel = (id: string, serverId: string): Channel => ({ id, serverId, name: `c${id}`, type: "text", position: 0 });

describe("derived rooms", () => {
  test("a connection that never focused is in all:S beside every server:S it joins", () => {
    const { socket, roomsOf } = setup();
    const s = socket("a");
    s.join(["user:1", "server:10", "server:20"]);
    expect(roomsOf("a")).toEqual(["all:10", "all:20", "server:10", "server:20", "user:1"]);
  });

  test("focusing makes it passive: all:S becomes passive:S, and it joins focus:C of its servers' channels", () => {
    const { socket, roomsOf } = setup();
    const s = socket("a");
    s.join(["server:10", "server:20"]);
    applyFocus(s, [channel("11", "10")]);
    expect(roomsOf("a")).toEqual(["focus:11", "passive:10", "passive:20", "server:10", "server:20"]);
    expect(s.data).toEqual({ passive: true, focused: [{ channelId: "11", serverId: "10" }] });
  });

  test("a new focus replaces the old one; an empty one focuses nothing and the connection stays passive", () => {
    const { socket, roomsOf } = setup();
    const s = socket("a");
    s.join(["server:10", "server:20"]);
    applyFocus(s, [channel("11", "10")]);
    applyFocus(s, [channel("12", "10"), channel("21", "20")]);
    expect(roomsOf("a")).toEqual(["focus:12", "focus:21", "passive:10", "passive:20", "server:10", "server:20"]);
    applyFocus(s, []);
    expect(roomsOf("a")).toEqual(["passive:10", "passive:20", "server:10", "server:20"]);
  });

  test("a server joined while passive (socketsJoin from any node ends in addAll) brings passive:S, never all:S", () => {
    const { adapter, socket, roomsOf } = setup();
    const s = socket("a");
    s.join(["user:1", "server:10"]);
    applyFocus(s, []);
    // What the adapter does for io.in("user:1").socketsJoin("server:30"), locally or from Redis.
    adapter.addSockets({ rooms: new Set(["user:1"]) }, ["server:30"]);
    expect(roomsOf("a")).toEqual(["passive:10", "passive:30", "server:10", "server:30", "user:1"]);
  });

  test("a focused channel of a server the socket is not in waits for that server's room, then follows it", () => {
    const { socket, roomsOf } = setup();
    const s = socket("a");
    s.join(["server:10"]);
    applyFocus(s, [channel("31", "30")]);
    expect(roomsOf("a")).toEqual(["passive:10", "server:10"]);
    s.join("server:30");
    expect(roomsOf("a")).toEqual(["focus:31", "passive:10", "passive:30", "server:10", "server:30"]);
  });

  test("leaving a server leaves its derived rooms and unfocuses its channels, and only those", () => {
    const { adapter, socket, roomsOf } = setup();
    const s = socket("a");
    s.join(["user:1", "server:10", "server:20"]);
    applyFocus(s, [channel("11", "10"), channel("21", "20")]);
    adapter.delSockets({ rooms: new Set(["user:1"]) }, ["server:10"]);
    expect(roomsOf("a")).toEqual(["focus:21", "passive:20", "server:20", "user:1"]);
    expect(s.data.focused).toEqual([{ channelId: "21", serverId: "20" }]);
    // Joining again does not bring the old focus back: the client focuses what it shows.
    s.join("server:10");
    expect(roomsOf("a")).toEqual(["focus:21", "passive:10", "passive:20", "server:10", "server:20", "user:1"]);
  });

  test("a non-passive socket leaving a server leaves all:S", () => {
    const { socket, roomsOf } = setup();
    const s = socket("a");
    s.join(["server:10", "server:20"]);
    s.leave("server:10");
    expect(roomsOf("a")).toEqual(["all:20", "server:20"]);
  });

  test("disconnecting (delAll) leaves every room, derived ones included, and empty rooms disappear", () => {
    const { adapter, socket } = setup();
    const s = socket("a");
    s.join(["server:10"]);
    applyFocus(s, [channel("11", "10")]);
    adapter.delAll("a");
    expect([...adapter.rooms.keys()]).toEqual([]);
  });

  test("other rooms are left alone, and rooms are shared by the sockets in them", () => {
    const { adapter, socket } = setup();
    const [a, b, c] = [socket("a"), socket("b"), socket("c")];
    for (const s of [a, b, c]) s.join(["server:10", "elsewhere"]);
    applyFocus(b, [channel("11", "10")]);
    applyFocus(c, []);
    expect([...adapter.rooms.get("all:10")!]).toEqual(["a"]);
    expect([...adapter.rooms.get("passive:10")!].sort()).toEqual(["b", "c"]);
    expect([...adapter.rooms.get("focus:11")!]).toEqual(["b"]);
    expect([...adapter.rooms.get("elsewhere")!].sort()).toEqual(["a", "b", "c"]);
  });

  test("a socket the namespace does not list yet (a restored session rejoining its saved rooms) gets nothing derived", () => {
    const { adapter } = setup();
    adapter.addAll("restored", new Set(["server:10", "passive:10"]));
    expect([...(adapter.socketRooms("restored") ?? [])].sort()).toEqual(["passive:10", "server:10"]);
  });
});
