// The gateway's two broadcast fast paths (server/gateway/direct-frames.ts and room-walk.ts,
// through the adapter Parley runs, server/gateway/adapter.ts), on a plain Socket.IO server with
// real clients: every socket still gets every broadcast once, in the order it was made, and the
// fast path is really the one taken.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket as ServerSocket } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import type { Socket } from "node:net";
import { burstCoalescer } from "../../server/gateway/burst-coalescer";
import { sendBroadcastFramesDirectly } from "../../server/gateway/direct-frames";
import { parleyAdapter } from "../../server/gateway/adapter";
import { waitFor } from "../support/gateway";

let httpServer: http.Server;
let io: Server;
let url: string;
/** Server-side sockets by the name their client gave in `auth`. */
const serverSockets = new Map<string, ServerSocket>();
/** Engine.io packets created per socket name, by event name (the slow path creates one per recipient). */
const enginePackets = new Map<string, string[]>();
const clients: ClientSocket[] = [];

beforeAll(async () => {
  httpServer = http.createServer();
  io = new Server(httpServer, { adapter: parleyAdapter() });
  io.on("connection", (socket) => {
    sendBroadcastFramesDirectly(socket.client);
    const name = String(socket.handshake.auth.name);
    serverSockets.set(name, socket);
    enginePackets.set(name, []);
    socket.conn.on("packetCreate", (packet: { type: string; data?: unknown }) => {
      if (packet.type === "message" && typeof packet.data === "string") enginePackets.get(name)!.push(packet.data.slice(0, 20));
    });
    for (const room of socket.handshake.auth.rooms as string[]) socket.join(room);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  serverSockets.clear();
  enginePackets.clear();
});

afterAll(async () => {
  await io.close();
});

/** A connected client named `name` in `rooms`, recording every `seq` it receives. */
async function client(name: string, rooms: string[], transports: Array<"websocket" | "polling"> = ["websocket"]) {
  const socket = connect(url, { transports, auth: { name, rooms }, forceNew: true, reconnection: false });
  clients.push(socket);
  const received: number[] = [];
  socket.on("seq", (n: number) => received.push(n));
  await waitFor(() => serverSockets.has(name) && socket.connected, 5_000, `${name} connected`);
  return { socket, received };
}

const packetsOf = (name: string, event: string) => enginePackets.get(name)!.filter((p) => p.startsWith(`2["${event}"`)).length;

describe("broadcast fast paths", () => {
  test("a single-room broadcast reaches each socket of the room once, without an engine.io packet per recipient", async () => {
    const members = await Promise.all(["a", "b", "c"].map((name) => client(name, ["room"])));
    const outsider = await client("outsider", ["elsewhere"]);
    for (let n = 0; n < 5; n++) io.to("room").emit("seq", n);
    for (const member of members) await waitFor(() => member.received.length === 5, 5_000, "five broadcasts");
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const member of members) expect(member.received).toEqual([0, 1, 2, 3, 4]);
    expect(outsider.received).toEqual([]);
    // The first broadcast found every socket idle: it went straight to the WebSocket.
    for (const name of ["a", "b", "c"]) expect(packetsOf(name, "seq")).toBeLessThan(5);
  });

  test("broadcasts and emits to one socket arrive in the order they were made, even while engine.io is still writing", async () => {
    const { received } = await client("ordered", ["room"]);
    const socket = serverSockets.get("ordered")!;
    const total = 2_000;
    for (let n = 0; n < total; n++) {
      // A direct emit always goes through engine.io; while its write is pending, broadcasts must queue behind it.
      if (n % 3 === 0) socket.emit("seq", n);
      else io.to("room").emit("seq", n);
    }
    await waitFor(() => received.length === total, 10_000, `${total} events`);
    expect(received).toEqual(Array.from({ length: total }, (_, n) => n));
    // Both paths were taken: some broadcasts went direct, the ones behind a pending write did not.
    const viaEngine = packetsOf("ordered", "seq");
    expect(viaEngine).toBeGreaterThan(Math.ceil(total / 3));
    expect(viaEngine).toBeLessThan(total);
  });

  test("frames due to one socket within 5 ms reach the kernel in one write, in order; a frame after a quiet spell goes out at once", async () => {
    const { received } = await client("burst", ["room"]);
    const socket = serverSockets.get("burst")!;
    const tcp = (socket.conn as unknown as { transport: { socket: { _socket: Socket & { _writev?: unknown } } } }).transport.socket._socket;
    let writes = 0;
    for (const method of ["_write", "_writev"] as const) {
      const original = (tcp as unknown as Record<string, (...args: unknown[]) => unknown>)[method]!.bind(tcp);
      (tcp as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => (writes++, original(...args));
    }
    await new Promise((resolve) => setTimeout(resolve, 30)); // quiet
    io.to("room").emit("seq", 0);
    expect(writes).toBe(1); // at once, not held
    expect(tcp.writableCorked).toBe(0);
    for (let n = 1; n < 10; n++) io.to("room").emit("seq", n);
    socket.emit("seq", 10); // engine.io's own path, queued behind the held frames
    io.to("room").emit("seq", 11);
    expect(writes).toBe(1); // held while the burst lasts
    await waitFor(() => received.length === 12, 5_000, "the burst");
    expect(received).toEqual(Array.from({ length: 12 }, (_, n) => n));
    expect(writes).toBe(2); // the first frame, then everything else in one writev
    expect(burstCoalescer.holding).toBe(0);
  });

  test("a long-polling socket gets broadcasts through engine.io", async () => {
    const { received } = await client("polling", ["room"], ["polling"]);
    for (let n = 0; n < 3; n++) io.to("room").emit("seq", n);
    await waitFor(() => received.length === 3, 5_000, "three broadcasts over polling");
    expect(received).toEqual([0, 1, 2]);
    expect(packetsOf("polling", "seq")).toBe(3);
  });

  test("no broadcast to rooms takes the adapter's de-duplicating walk (its except Set is never computed); one to everyone does", async () => {
    const both = await client("both", ["x", "y"]);
    // The adapter's own walk starts by computing the Set of sockets in the except rooms.
    const adapter = io.of("/").adapter as unknown as { computeExceptSids(rooms?: Set<string>): Set<string> };
    const adapterWalk = vi.spyOn(adapter, "computeExceptSids");
    try {
      io.to("x").emit("seq", 1);
      io.to(["x", "y"]).emit("seq", 2);
      io.to(["x", "y"]).except("z").emit("seq", 3);
      expect(adapterWalk).not.toHaveBeenCalled();
      io.emit("seq", 4); // the spy does see the adapter's walk when it runs
      expect(adapterWalk).toHaveBeenCalledTimes(1);
    } finally {
      adapterWalk.mockRestore();
    }
    await waitFor(() => both.received.length === 4, 5_000, "four broadcasts");
    expect(both.received).toEqual([1, 2, 3, 4]);
  });

  test("a broadcast to several rooms reaches a socket in several of them once, whichever rooms it shares", async () => {
    const all = await client("all", ["x", "y", "z"]);
    const yz = await client("yz", ["y", "z"]);
    const xz = await client("xz", ["x", "z"]);
    const onlyZ = await client("onlyZ", ["z"]);
    const outsider = await client("outsider", ["w"]);
    io.to(["x", "y", "z"]).emit("seq", 1);
    io.to(["z", "y"]).emit("seq", 2);
    io.to(["x", "missing", "z"]).emit("seq", 3);
    io.to("w").emit("seq", 99); // marker: sent last, so the others have landed when it does
    await waitFor(() => outsider.received.length === 1, 5_000, "the marker");
    await waitFor(() => onlyZ.received.length === 3, 5_000, "the broadcasts");
    expect(all.received).toEqual([1, 2, 3]);
    expect(yz.received).toEqual([1, 2, 3]);
    expect(xz.received).toEqual([1, 2, 3]);
    expect(onlyZ.received).toEqual([1, 2, 3]);
    expect(outsider.received).toEqual([99]);
  });

  test("except rooms are skipped in every target room, also when they overlap the targets", async () => {
    const xy = await client("xy", ["x", "y"]);
    const yMuted = await client("yMuted", ["y", "muted"]);
    const xMuted = await client("xMuted", ["x", "muted"]);
    const onlyX = await client("onlyX", ["x"]);
    io.to(["x", "y"]).except("muted").emit("seq", 1);
    io.to(["x", "y"]).except(["y", "nobody"]).emit("seq", 2);
    io.to("muted").emit("seq", 3); // marker for the muted ones
    for (const c of [xMuted, yMuted]) await waitFor(() => c.received.includes(3), 5_000, "the marker");
    await waitFor(() => xy.received.length === 1 && onlyX.received.length === 2, 5_000, "the broadcasts");
    expect(xy.received).toEqual([1]);
    expect(onlyX.received).toEqual([1, 2]);
    expect(xMuted.received).toEqual([2, 3]);
    expect(yMuted.received).toEqual([3]);
  });

  test("room operations over several rooms (fetchSockets, socketsJoin, socketsLeave) see each socket once", async () => {
    await client("p", ["x", "y"]);
    await client("q", ["y"]);
    await client("r", ["other"]);
    const found = await io.in(["x", "y"]).fetchSockets();
    expect(found.map((s) => String(s.handshake.auth.name)).sort()).toEqual(["p", "q"]);
    io.in(["x", "y"]).socketsJoin("joined");
    expect([...(io.of("/").adapter.rooms.get("joined") ?? [])].length).toBe(2);
    io.in(["x", "y"]).socketsLeave("x");
    expect(io.of("/").adapter.rooms.has("x")).toBe(false);
    expect(serverSockets.get("p")!.rooms.has("y")).toBe(true);
  });

  test("several rooms, except and everyone keep the adapter's own rules", async () => {
    const both = await client("both", ["x", "y"]);
    const onlyX = await client("onlyX", ["x"]);
    const onlyY = await client("onlyY", ["y"]);
    io.to(["x", "y"]).emit("seq", 1); // once each, though "both" is in two of the rooms
    io.to("x").except("y").emit("seq", 2); // only onlyX
    io.emit("seq", 3); // everyone
    await waitFor(() => both.received.length === 2 && onlyX.received.length === 3 && onlyY.received.length === 2, 5_000, "all broadcasts");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(both.received).toEqual([1, 3]);
    expect(onlyX.received).toEqual([1, 2, 3]);
    expect(onlyY.received).toEqual([1, 3]);
  });
});
