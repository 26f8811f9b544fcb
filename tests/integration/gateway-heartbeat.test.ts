// Ghost connections (issue 13): a client that stops answering the heartbeat (its machine slept,
// its network vanished without a FIN) is closed by the gateway within the heartbeat interval
// plus its timeout, and its presence lease goes with it: co-members see it go offline. On the
// embedded node (presence in memory) and on one whose presence lives in Redis.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readEnv } from "../../lib/config/env";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient } from "../support/api";
import { connectClient, payloadsOf, recordEvents, waitFor, type GatewayClient } from "../support/gateway";
import { deleteKeysUnder, uniqueRedisPrefix } from "../support/redis";
import { startServer, type ParleyServer } from "../support/server";
import type { ParleyServerOptions } from "../../server/config";

/** Short enough for a test, long enough that a loaded machine's stalls do not close a healthy client. */
const HEARTBEAT = { intervalMs: 1_000, timeoutMs: 1_000 };
const { REDIS_URL } = readEnv();
const redisPrefix = uniqueRedisPrefix("heartbeat");

/** Makes the client deaf to the heartbeat: it keeps its transport open but never answers a ping. */
function stopAnsweringPings(socket: GatewayClient): void {
  // engine.io-client answers a ping with `_sendPacket("pong")` (its private sender).
  const engine = socket.io.engine as unknown as { _sendPacket(type: string, ...rest: unknown[]): void };
  if (typeof engine._sendPacket !== "function") throw new Error("engine.io-client no longer has _sendPacket: update stopAnsweringPings");
  const send = engine._sendPacket.bind(engine);
  engine._sendPacket = (type, ...rest) => {
    if (type !== "pong") send(type, ...rest);
  };
}

const variants: Array<[string, ParleyServerOptions | undefined]> = [
  ["presence in memory", { redis: undefined }],
  ["presence in Redis", REDIS_URL ? { redis: { url: REDIS_URL, sharded: false, prefix: redisPrefix } } : undefined],
];

for (const [name, options] of variants) {
  describe.skipIf(!options)(`a client that stops answering pings (${name})`, () => {
    let server: ParleyServer;
    let api: ApiClient;
    const sockets: GatewayClient[] = [];
    beforeAll(async () => {
      server = await startServer({ ...options, heartbeat: HEARTBEAT });
      api = apiClient(server.url);
    });
    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await server?.close();
      if (options?.redis) await deleteKeysUnder(REDIS_URL!, redisPrefix);
    });

    test("is closed within interval + timeout, and its co-members see it go offline", async () => {
      const [watcher, ghost] = [await registerUser(api), await registerUser(api)];
      await joinServer(api, await createServerAs(api, watcher, "ghosts"), watcher, ghost);
      const watching = (await connectClient(server.url, watcher.token)).socket;
      sockets.push(watching);
      const heard = recordEvents(watching, ["presence:update"]);
      const ghostly = (await connectClient(server.url, ghost.token)).socket;
      sockets.push(ghostly);
      const statuses = () => payloadsOf(heard, "presence:update").filter((p) => p.userId === ghost.user.id).map((p) => p.status);
      await waitFor(() => statuses().includes("online"), 5_000, "the ghost online");

      // A client that answers stays: several heartbeats pass.
      await new Promise((r) => setTimeout(r, 2 * (HEARTBEAT.intervalMs + HEARTBEAT.timeoutMs)));
      expect(ghostly.connected).toBe(true);

      stopAnsweringPings(ghostly);
      const deafAt = Date.now();
      await waitFor(() => !ghostly.connected, 8_000, "the server closing the silent connection");
      expect(Date.now() - deafAt).toBeLessThan(HEARTBEAT.intervalMs + HEARTBEAT.timeoutMs + 2_000);
      await waitFor(() => statuses().at(-1) === "offline", 5_000, "the ghost offline");
      const members = await api.get(`/api/v1/servers/${(await api.get("/api/v1/servers", watcher.token)).body[0].id}/members`, watcher.token);
      expect(members.body.find((m: { user: { id: string } }) => m.user.id === ghost.user.id)?.status).toBe("offline");
    });
  });
}
