// Keeps this node's connections' presence leases alive and takes the users of dead nodes
// offline. With the in-memory store both steps are no-ops; with Redis they are what makes a
// SIGKILLed node's users fall offline within PRESENCE_LEASE_SECONDS plus one sweep.
import type { Deps } from "../../lib/deps";
import type { Logger } from "../../lib/logger";
import { expireStalePresence, renewPresence } from "../../lib/use-cases/keep-presence";
import type { GatewayServer } from "./gateway";

const SWEEP_EVERY_MS = 5_000;

export function startPresenceKeeper(io: GatewayServer, deps: Deps, leaseMs: number, log: Logger): () => void {
  // Each step skips a round while its previous one still runs; renewals never wait on sweeps.
  const guarded = (step: () => Promise<void>) => {
    let busy = false;
    return async () => {
      if (busy) return;
      busy = true;
      try {
        await step();
      } catch (err) {
        log.warn({ err }, "presence upkeep failed");
      } finally {
        busy = false;
      }
    };
  };
  const renew = setInterval(
    guarded(() =>
      renewPresence(
        deps,
        [...io.of("/").sockets.values()].map((socket) => ({ userId: socket.data.actor.userId, connectionId: socket.id })),
      ),
    ),
    Math.max(1_000, Math.floor(leaseMs / 3)),
  );
  const sweep = setInterval(guarded(() => expireStalePresence(deps)), Math.min(SWEEP_EVERY_MS, leaseMs));
  renew.unref();
  sweep.unref();
  return () => {
    clearInterval(renew);
    clearInterval(sweep);
  };
}
