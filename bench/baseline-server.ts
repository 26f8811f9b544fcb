// The baseline: a bare `ws` server that only broadcasts. No auth, no storage, no Socket.IO:
// every text frame a client sends is sent as is to every client of its room (the sender
// included), which is the practical ceiling of fan-out for Node on this machine.
// Rooms come from the URL (`/?room=NAME`). `GET /stats` reports this process's CPU and RSS.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

const rooms = new Map<string, Set<WebSocket>>();
const cpuAtStart = process.cpuUsage();

const server = http.createServer((req, res) => {
  if (req.url === "/stats") {
    const cpu = process.cpuUsage(cpuAtStart);
    let connections = 0;
    for (const room of rooms.values()) connections += room.size;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, rssBytes: process.memoryUsage.rss(), connections }));
    return;
  }
  res.writeHead(404).end();
});

const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 });
wss.on("connection", (socket, req) => {
  const name = new URL(req.url ?? "/", "http://x").searchParams.get("room") ?? "";
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  room.add(socket);
  const members = room;
  socket.on("message", (data, isBinary) => {
    for (const peer of members) peer.send(data, { binary: isBinary });
  });
  socket.on("close", () => members.delete(socket));
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});

const stop = () => {
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
