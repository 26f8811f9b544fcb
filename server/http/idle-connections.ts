// A connection that sends no request closes after `ms` (issue 12: raw sockets that never
// speak stayed open; Node's headersTimeout starts only with a request's first byte). Until its
// first request or upgrade, the socket's idle timeout is set; Node's own timeout handler
// destroys a socket that times out with nobody else listening. Then keep-alive takes over.
import type { Server } from "node:http";
import type { Socket } from "node:net";

export function closeSilentConnections(server: Server, ms: number): void {
  server.on("connection", (socket: Socket) => socket.setTimeout(ms));
  server.on("request", (req: { socket: Socket }) => req.socket.setTimeout(0));
  server.on("upgrade", (_req: unknown, socket: Socket) => socket.setTimeout(0));
}
