// Graceful drain (contract v2 "Directory"): a gateway asked to stop leaves the directory at
// once, refuses new handshakes, tells each connection where to go (`gateway:reconnect {url}`,
// the directory's answer for its user now that this node is out of it) and closes it. The
// notices are spread (up to 5 s for a full node) so the nodes that take the users over are not
// stampeded, and every connection is closed within 10 s of the start.
import { setTimeout as sleep } from "node:timers/promises";
import type { Deps } from "../../lib/deps";
import type { Actor } from "../../lib/domain/types";
import type { Logger } from "../../lib/logger";
import { gatewayFor } from "../../lib/use-cases/find-gateway";
import { closeConnection } from "../../lib/use-cases/close-connection";
import { keepSession, sessionsNotTaken } from "./cluster-resume";
import type { DirectoryAnnouncer } from "./directory-announcer";
import type { GatewayServer } from "./gateway";

export interface DrainOptions {
  /** Over how long the reconnect notices are spread at most. */
  spreadMs: number;
  /** How many notices per second the spread aims at: a node with few connections is done at once. */
  noticesPerSecond: number;
  /** How long a told connection may stay to leave by itself before it is closed. */
  graceMs: number;
  /** How long after that moved connections may take to resume elsewhere before their presence ends here. */
  resumeWaitMs: number;
  /** The drain is over by then (ms after it started), whatever is left. */
  exitByMs: number;
}

export const DRAIN_DEFAULTS: DrainOptions = { spreadMs: 5_000, noticesPerSecond: 2_000, graceMs: 1_000, resumeWaitMs: 3_000, exitByMs: 9_000 };
const RESUME_POLL_MS = 200;
const SLICES = 10;

/** A connection told to move, by its private session id: whose, and its connection id. */
type MovedConnection = { actor: Actor; input: { connectionId: string } };

export async function drainGateway(io: GatewayServer, deps: Deps, announcer: DirectoryAnnouncer, log: Logger, options: DrainOptions = DRAIN_DEFAULTS): Promise<void> {
  const started = Date.now();
  // Before anything else: new handshakes are refused at the HTTP level (a 403 the client
  // retries with backoff, asking the directory again), not by a middleware refusal, which
  // would end socket.io-client's retries, and before any authentication work.
  io.engine.opts.allowRequest = (_req, answer) => answer("this gateway is stopping", false);
  await announcer.leave();
  const others = await deps.gateways.live().catch(() => [] as string[]);
  const sockets = [...io.of("/").sockets.values()];
  const moved = new Map<string, MovedConnection>();
  const perSlice = Math.ceil(sockets.length / SLICES);
  const pauseMs = Math.min(options.spreadMs / SLICES, (perSlice / options.noticesPerSecond) * 1_000);
  for (let slice = 0; slice < SLICES && slice * perSlice < sockets.length; slice++) {
    for (const socket of sockets.slice(slice * perSlice, (slice + 1) * perSlice)) {
      if (!socket.connected) continue;
      // Never this node (the list read may predate its leave); nowhere else to go (a single
      // node restarting): back to the origin the client came by.
      const next = gatewayFor(socket.data.actor.userId, others, socket.data.origin, announcer.url);
      // Moving to another node: its session is kept before it is told (that node may be asked
      // before this one sees it leave), and so is its presence (gateway.ts). The notice is a
      // broadcast to it alone, so the offset it resumes from is now. A lone node restarting
      // keeps nothing: it comes back with an empty memory, and its users are offline meanwhile.
      const pid = next === undefined ? undefined : keepSession(io.of("/").adapter, socket);
      if (pid !== undefined) moved.set(pid, { actor: socket.data.actor, input: { connectionId: socket.id } });
      io.to(socket.id).emit("gateway:reconnect", { url: next ?? socket.data.origin });
    }
    await sleep(pauseMs);
  }
  // Told clients leave by themselves; whoever has not within the grace is closed.
  const graceEnds = Date.now() + options.graceMs;
  while (io.of("/").sockets.size > 0 && Date.now() < graceEnds) await sleep(50);
  const left = [...io.of("/").sockets.values()];
  // A transport close (not a namespace disconnect): the client reconnects by itself, through the directory.
  for (const socket of left) socket.conn.close();
  const stayedOnline = await endPresenceOfTheUnmoved(io, deps, moved, Math.min(started + options.exitByMs, Date.now() + options.resumeWaitMs), log);
  log.info({ connections: sockets.length, closedByServer: left.length, resumedElsewhere: stayedOnline, ms: Date.now() - started }, "gateway drained");
}

/**
 * A moved connection keeps its presence lease (gateway.ts) for the node it resumes on. Those
 * that resumed nowhere by now (their clients did not follow, or not yet) end it here, as any
 * disconnect would: their users do not stay online for a lease after they left. Returns how
 * many had resumed elsewhere.
 */
async function endPresenceOfTheUnmoved(io: GatewayServer, deps: Deps, moved: Map<string, MovedConnection>, until: number, log: Logger): Promise<number> {
  if (moved.size === 0) return 0;
  const adapter = io.of("/").adapter;
  try {
    let unmoved = [...moved.keys()];
    // Clients told last, or closed just now, may still be on their way.
    for (;;) {
      unmoved = await sessionsNotTaken(adapter, unmoved);
      if (unmoved.length === 0 || Date.now() >= until) break;
      await sleep(RESUME_POLL_MS);
    }
    // Their sessions stay: a client that comes back later (a loaded node takes its time) still
    // resumes, and its new node announces it online again. One that resumes between the last
    // look and this may lose its lease for a moment: its new node's keeper restores it.
    await Promise.all(unmoved.map((pid) => closeConnection(deps, moved.get(pid)!).catch((err) => log.warn({ err }, "presence update after a drain failed"))));
    return moved.size - unmoved.length;
  } catch (err) {
    // Redis away: who resumed is unknown, so nobody is taken offline here; leases run out by themselves.
    log.warn({ err }, "could not tell which moved connections resumed");
    return 0;
  }
}
