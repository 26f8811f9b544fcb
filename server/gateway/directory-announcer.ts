// Keeps this gateway node in the directory (contract v2 "Directory"): its entry is renewed
// three times per lease, so one lost renewal never drops a live node, and a node that dies
// drops out when its lease runs out. `leave` takes it out at once (a drain).
import type { Logger } from "../../lib/logger";
import { SAME_ORIGIN, type GatewayDirectory } from "../../lib/ports/gateway-directory";
import type { ParleyConfig } from "../config";

export interface DirectoryAnnouncer {
  readonly url: string;
  /** Stops renewing and removes the entry. */
  leave(): Promise<void>;
}

/**
 * The URL this node announces: GATEWAY_PUBLIC_URL; for a node that also serves the app, the
 * app's own PUBLIC_URL, or (alone, without Redis) whatever origin its clients reached it on;
 * else http://HOST:PORT as it listens.
 */
export function announcedUrlOf(config: Pick<ParleyConfig, "gatewayPublicUrl" | "publicUrl" | "role" | "redis">, listeningUrl: string): string {
  if (config.gatewayPublicUrl) return config.gatewayPublicUrl.replace(/\/+$/, "");
  if (config.role === "all" && config.publicUrl) return new URL(config.publicUrl).origin;
  if (config.role === "all" && !config.redis) return SAME_ORIGIN;
  return listeningUrl;
}

export function startDirectoryAnnouncer(directory: GatewayDirectory, url: string, leaseMs: number, log: Logger): DirectoryAnnouncer {
  let failing = false;
  let left = false;
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    try {
      await directory.announce(url, leaseMs);
      if (failing) log.info({ url }, "gateway directory entry renewed again");
      failing = false;
    } catch (err) {
      if (!failing) log.warn({ err, url }, "could not renew this node's gateway directory entry");
      failing = true;
    }
  };
  const tick = () => {
    if (!left) renewing = renew();
  };
  tick();
  const timer = setInterval(tick, Math.max(500, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    url,
    async leave() {
      if (left) return;
      left = true;
      clearInterval(timer);
      // A renewal still on its way would put the entry back after the removal: let it land first.
      await renewing;
      for (let attempt = 1; ; attempt++) {
        try {
          return await directory.leave(url);
        } catch (err) {
          if (attempt === 3) return log.warn({ err, url }, "could not leave the gateway directory (the entry expires with its lease)");
          await new Promise((r) => setTimeout(r, 300));
        }
      }
    },
  };
}
