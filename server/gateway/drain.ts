// Graceful drain (contract v2 "Directory"): a gateway asked to stop leaves the directory at
// once, refuses new handshakes, tells each connection where to go (`gateway:reconnect {url}`,
// the directory's answer for its user now that this node is out of it) and closes it. The
// notices are spread (up to 5 s for a full node) so the nodes that take the users over are not
// stampeded, and every connection is closed within 10 s of the start.
import { setTimeout as sleep } from "node:timers/promises";
import type { Deps } from "../../lib/deps";
import type { Logger } from "../../lib/logger";
import { gatewayFor } from "../../lib/use-cases/find-gateway";
import { keepSession } from "./cluster-resume";
import type { DirectoryAnnouncer } from "./directory-announcer";
import type { GatewayServer } from "./gateway";

export interface DrainOptions {
  /** Over how long the reconnect notices are spread at most. */
  spreadMs: number;
  /** How many notices per second the spread aims at: a node with few connections is done at once. */
  noticesPerSecond: number;
  /** How long a told connection may stay to leave by itself before it is closed. */
  graceMs: number;
}

export const DRAIN_DEFAULTS: DrainOptions = { spreadMs: 5_000, noticesPerSecond: 2_000, graceMs: 1_000 };
const SLICES = 10;

export async function drainGateway(io: GatewayServer, deps: Deps, announcer: DirectoryAnnouncer, log: Logger, options: DrainOptions = DRAIN_DEFAULTS): Promise<void> {
  const started = Date.now();
  // Before anything else: new handshakes are refused at the HTTP level (a 403 the client
  // retries with backoff, asking the directory again), not by a middleware refusal, which
  // would end socket.io-client's retries, and before any authentication work.
  io.engine.opts.allowRequest = (_req, answer) => answer("this gateway is stopping", false);
  await announcer.leave();
  const others = await deps.gateways.live().catch(() => [] as string[]);
  const sockets = [...io.of("/").sockets.values()];
  const perSlice = Math.ceil(sockets.length / SLICES);
  const pauseMs = Math.min(options.spreadMs / SLICES, (perSlice / options.noticesPerSecond) * 1_000);
  for (let slice = 0; slice < SLICES && slice * perSlice < sockets.length; slice++) {
    for (const socket of sockets.slice(slice * perSlice, (slice + 1) * perSlice)) {
      if (!socket.connected) continue;
      // Never this node (the list read may predate its leave); nowhere else to go (a single
      // node restarting): back to the origin the client came by.
      const url = gatewayFor(socket.data.actor.userId, others, socket.data.origin, announcer.url) ?? socket.data.origin;
      // Its session is kept before it is told (its next node may be asked before this one sees
      // it leave), and the notice is a broadcast to it alone, so the offset it resumes from is now.
      keepSession(io.of("/").adapter, socket);
      io.to(socket.id).emit("gateway:reconnect", { url });
    }
    await sleep(pauseMs);
  }
  // Told clients leave by themselves; whoever has not within the grace is closed.
  const graceEnds = Date.now() + options.graceMs;
  while (io.of("/").sockets.size > 0 && Date.now() < graceEnds) await sleep(50);
  const left = [...io.of("/").sockets.values()];
  // A transport close (not a namespace disconnect): the client reconnects by itself, through the directory.
  for (const socket of left) socket.conn.close();
  log.info({ connections: sockets.length, closedByServer: left.length, ms: Date.now() - started }, "gateway drained");
}
