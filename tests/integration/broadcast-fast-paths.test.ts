// The gateway's two broadcast fast paths (server/gateway/direct-frames.ts and
// single-room-apply.ts), on a plain Socket.IO server with real clients: every socket still gets
// every broadcast once, in the order it was made, and the fast path is really the one taken.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket as ServerSocket } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { sendBroadcastFramesDirectly } from "../../server/gateway/direct-frames";
import { withSingleRoomWalk } from "../../server/gateway/single-room-apply";
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
  io = new Server(httpServer, { adapter: withSingleRoomWalk() });
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

  test("a long-polling socket gets broadcasts through engine.io", async () => {
    const { received } = await client("polling", ["room"], ["polling"]);
    for (let n = 0; n < 3; n++) io.to("room").emit("seq", n);
    await waitFor(() => received.length === 3, 5_000, "three broadcasts over polling");
    expect(received).toEqual([0, 1, 2]);
    expect(packetsOf("polling", "seq")).toBe(3);
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
