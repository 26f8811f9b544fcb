// Redis connections. Store clients fail fast while Redis is away (no offline queue, short
// command timeout) so callers can degrade; the subscriber keeps its queue so that its
// subscriptions are made as soon as Redis is reachable.
import { Redis } from "ioredis";
import type { Logger } from "../../logger";

export type RedisRole = "store" | "publisher" | "subscriber";

export function createRedisClient(url: string, role: RedisRole, log: Logger): Redis {
  const client = new Redis(url, {
    connectionName: `parley-${role}`,
    enableOfflineQueue: role === "subscriber",
    maxRetriesPerRequest: role === "subscriber" ? null : 1,
    commandTimeout: role === "subscriber" ? undefined : 1_000,
    // Reconnect forever, at most every 2 s: Redis coming back must heal every node by itself.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    // Commands issued in the same tick share one round trip.
    enableAutoPipelining: role === "store",
    // A publish Redis may already have run is not sent again after a reconnection: the event
    // would be delivered twice. What a cut loses is told to the clients (gateway:resync).
    autoResendUnfulfilledCommands: role !== "publisher",
  });
  let down = false;
  client.on("error", (err) => {
    if (!down) log.warn({ err: err.message, role }, "redis connection error");
    down = true;
  });
  client.on("ready", () => {
    if (down) log.info({ role }, "redis connection restored");
    down = false;
  });
  if (role === "publisher") guardPublish(client, log);
  return client;
}

/**
 * Socket.IO's Redis adapter and emitter call `publish` without handling its promise; while
 * Redis is down that would be an unhandled rejection. Delivery is best effort (history is
 * the source of truth), so a failed publish is logged and counted as delivered to nobody.
 */
function guardPublish(client: Redis, log: Logger) {
  for (const method of ["publish", "spublish"] as const) {
    const original = client[method].bind(client) as (...args: unknown[]) => Promise<number>;
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
      original(...args).catch((err: Error) => {
        log.debug({ err: err.message }, "redis publish failed");
        return 0;
      });
  }
}

/**
 * Calls `listener` each time `client` is ready after a cut: a reconnection, or a first
 * connection after failed attempts (a node that started while Redis was away). Whatever was
 * published to its subscriptions meanwhile is lost.
 */
export function onReconnected(client: Redis, listener: () => void): () => void {
  let cut = false;
  let connectedBefore = client.status === "ready";
  const onError = () => (cut = true);
  const onReady = () => {
    if (connectedBefore || cut) listener();
    connectedBefore = true;
    cut = false;
  };
  client.on("error", onError);
  client.on("ready", onReady);
  return () => {
    client.off("error", onError);
    client.off("ready", onReady);
  };
}

export async function pingRedis(client: Redis): Promise<void> {
  const answer = await client.ping();
  if (answer !== "PONG") throw new Error(`unexpected PING answer ${answer}`);
}
