import type { Deps } from "../deps";
import type { Snowflake } from "../ids/snowflake";
import { announcePresence } from "./set-presence";

/** Renews the leases of this node's connections; announces any user it brought back online. */
export async function renewPresence(deps: Deps, connections: Iterable<{ userId: Snowflake; connectionId: string }>): Promise<void> {
  const all = [...connections];
  // In slices: thousands of connections renew in a few round trips without flooding the store.
  for (let i = 0; i < all.length; i += RENEW_SLICE) {
    await Promise.all(
      all.slice(i, i + RENEW_SLICE).map(async ({ userId, connectionId }) =>
        announcePresence(deps, userId, await deps.presence.heartbeat(userId, connectionId)),
      ),
    );
  }
}

const RENEW_SLICE = 200;

/** Takes users whose every lease ran out (their node died) offline, announcing each once. */
export async function expireStalePresence(deps: Deps): Promise<void> {
  for (const { userId, transition } of await deps.presence.expireStale()) {
    await announcePresence(deps, userId, transition);
  }
}
