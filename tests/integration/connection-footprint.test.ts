// server/gateway/connection-footprint.ts on a plain Socket.IO server with real clients: the
// upgrade request really becomes garbage, the handshake keeps its shape, listener tables are
// rebuilt in place, and a lightened socket still receives, answers acks, heartbeats and
// disconnects as before. Fails when engine.io or ws change the shapes it relies on.
import http from "node:http";
import type { AddressInfo } from "node:net";
import v8 from "node:v8";
import vm from "node:vm";
import { Server, type Socket as ServerSocket } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { compactListeners, dropUpgradeRequest, lightenConnection } from "../../server/gateway/connection-footprint";
import { waitFor } from "../support/gateway";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

let httpServer: http.Server;
let io: Server;
let url: string;
const serverSockets = new Map<string, ServerSocket>();
const requests = new Map<string, WeakRef<object>>();
const lightened = new Map<string, boolean>();
const disconnected: string[] = [];
const clients: ClientSocket[] = [];

beforeAll(async () => {
  httpServer = http.createServer();
  // Short heartbeats, so the test sees a few of them on a lightened socket.
  io = new Server(httpServer, { pingInterval: 200, pingTimeout: 1_000 });
  io.on("connection", (socket) => {
    const name = String(socket.handshake.auth.name);
    requests.set(name, new WeakRef(socket.request));
    socket.join(`room:${name}`);
    socket.on("echo", (value: unknown, ack: (v: unknown) => void) => ack(value));
    socket.on("disconnect", () => disconnected.push(name));
    if (socket.handshake.auth.lighten) {
      lightened.set(name, dropUpgradeRequest(socket));
      lightenConnection(socket);
    }
    serverSockets.set(name, socket);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  serverSockets.clear();
});

afterAll(async () => {
  await io.close();
});

async function client(name: string, lighten: boolean) {
  const socket = connect(url, { transports: ["websocket"], auth: { name, lighten }, forceNew: true, reconnection: false });
  clients.push(socket);
  await waitFor(() => serverSockets.has(name) && socket.connected, 5_000, `${name} connected`);
  return socket;
}

async function collected(name: string): Promise<boolean> {
  for (let i = 0; i < 10; i++) {
    gc();
    if (requests.get(name)!.deref() === undefined) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe("a lightened connection", () => {
  test("lets the upgrade request be collected (a plain socket keeps it)", async () => {
    await client("plain", false);
    await client("light", true);
    expect(lightened.get("light")).toBe(true);
    expect(await collected("light")).toBe(true);
    expect(await collected("plain")).toBe(false);
  });

  test("no longer carries engine.io's upgrade error listener on its WebSocket", async () => {
    await client("listeners", true);
    const ws = (serverSockets.get("listeners")!.conn as unknown as { transport: { socket: { listeners(e: string): Array<{ name: string }> } } }).transport.socket;
    expect(ws.listeners("error").map((l) => l.name)).not.toContain("onUpgradeError");
    expect(ws.listeners("error").length).toBeGreaterThan(0);
  });

  test("keeps the handshake's shape with empty headers, query and auth", async () => {
    await client("shape", true);
    const { handshake } = serverSockets.get("shape")!;
    expect(handshake.headers).toEqual({});
    expect(handshake.query).toEqual({});
    expect(handshake.auth).toEqual({});
    expect(handshake.address).toBe("127.0.0.1");
    expect(typeof handshake.issued).toBe("number");
  });

  test("still receives broadcasts and direct emits, answers acks and survives heartbeats", async () => {
    const socket = await client("alive", true);
    const received: string[] = [];
    socket.on("note", (n: string) => received.push(n));
    io.to("room:alive").emit("note", "broadcast");
    serverSockets.get("alive")!.emit("note", "direct");
    await waitFor(() => received.length === 2, 5_000, "two notes");
    expect(received).toEqual(["broadcast", "direct"]);
    expect(await socket.timeout(2_000).emitWithAck("echo", { x: 1 })).toEqual({ x: 1 });
    // Several ping intervals (200 ms) and timeouts (1 s) pass: the connection stays open.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(socket.connected).toBe(true);
    expect(await socket.timeout(2_000).emitWithAck("echo", "again")).toBe("again");
  });

  test("still hears its client leave", async () => {
    const socket = await client("leaver", true);
    const id = serverSockets.get("leaver")!.id;
    socket.close();
    await waitFor(() => disconnected.includes("leaver"), 5_000, "disconnect seen by the server");
    expect(io.of("/").sockets.has(id)).toBe(false);
  });
});

describe("compactListeners", () => {
  test("keeps every listener, in order, and the table keeps working", async () => {
    const { EventEmitter } = await import("node:events");
    const emitter = new EventEmitter();
    const calls: string[] = [];
    emitter.on("a", () => calls.push("a1"));
    emitter.on("a", () => calls.push("a2"));
    emitter.once("b", () => calls.push("b"));
    compactListeners(emitter as never);
    emitter.on("c", () => calls.push("c"));
    emitter.emit("a");
    emitter.emit("b");
    emitter.emit("b");
    emitter.emit("c");
    expect(calls).toEqual(["a1", "a2", "b", "c"]);
    expect(emitter.listenerCount("b")).toBe(0);
    expect(Object.getPrototypeOf((emitter as unknown as { _events: object })._events)).toBe(null);
  });
});
