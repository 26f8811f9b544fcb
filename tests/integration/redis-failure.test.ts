// Redis fails under a running deployment (one api node, gateways A and B, all separate
// processes) and comes back. The seed's rule: messages are still accepted and stored, health
// says what is wrong, presence degrades to offline; when Redis returns, fan-out and presence
// resume without restarting anything. The Redis here is a redis-server of this test's own.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readEnv } from "../../lib/config/env";
import type { Server } from "../../lib/domain/types";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient, type TestUser } from "../support/api";
import { cluster, eventually, health, isRunning, requireBuild, type NodeProcess } from "../support/cluster";
import { createThrowAwayDatabase, type ThrowAwayDatabase } from "../support/database";
import { connectClient, emitWithAck, payloadsOf, recordEvents, settle, waitFor, type GatewayClient } from "../support/gateway";
import { ownRedisServer, redisServerInstalled, uniqueRedisPrefix, type OwnRedis } from "../support/redis";

const { DATABASE_URL, REDIS_URL } = readEnv();
const LEASE_S = 6;
const hasRedisServer = redisServerInstalled();

const missing = [!DATABASE_URL && "DATABASE_URL is not set", !REDIS_URL && "REDIS_URL is not set", !hasRedisServer && "redis-server is not installed"].filter(Boolean);
if (missing.length > 0) {
  console.info(`[redis-failure] ${missing.join("; ")}: the Redis failure tier is skipped.`);
  describe.skip("Redis failure", () => test(missing.join("; "), () => {}));
} else {
  let redis: OwnRedis;
  let database: ThrowAwayDatabase;
  const redisPrefix = uniqueRedisPrefix("failure");
  const nodes = cluster(() => ({ databaseUrl: database.url, redisUrl: redis.url, redisPrefix, presenceLeaseSeconds: LEASE_S }));
  let apiNode: NodeProcess;
  let gatewayA: NodeProcess;
  let gatewayB: NodeProcess;
  let api: ApiClient;
  const sockets: GatewayClient[] = [];

  // Alice listens on gateway A, Bob on gateway B; they share #general.
  let alice: TestUser;
  let bob: TestUser;
  let shared: Server;
  let serverId: string;
  let channelId: string;
  let heardOnA: Array<{ name: string; payload: any }>;
  let heardOnB: Array<{ name: string; payload: any }>;
  let bobSocket: GatewayClient;
  let lastSeenBeforeOutage: string;
  const sentDuringOutage: Array<{ id: string }> = [];

  const connect = async (node: NodeProcess, user: TestUser) => {
    const { socket } = await connectClient(node.url, user.token);
    sockets.push(socket);
    return socket;
  };
  const statusIn = async (viewer: TestUser, userId: string) => {
    const res = await api.get(`/api/v1/servers/${serverId}/members`, viewer.token);
    expect(res.status).toBe(200);
    return res.body.find((m: { user: { id: string } }) => m.user.id === userId)?.status as string | undefined;
  };
  const pidsAtStart: Record<string, number> = {};

  beforeAll(async () => {
    requireBuild();
    redis = await ownRedisServer();
    await redis.start();
    database = await createThrowAwayDatabase(DATABASE_URL!, "redisfail");
    apiNode = await nodes.start("api");
    [gatewayA, gatewayB] = await Promise.all([nodes.start("gateway"), nodes.start("gateway")]);
    for (const node of [apiNode, gatewayA, gatewayB]) pidsAtStart[node.url] = node.pid;
    api = apiClient(apiNode.url);

    [alice, bob] = [await registerUser(api), await registerUser(api)];
    shared = await createServerAs(api, alice, "outage");
    await joinServer(api, shared, alice, bob);
    serverId = shared.id;
    channelId = shared.channels[0]!.id;
    heardOnA = recordEvents(await connect(gatewayA, alice), ["message:create", "presence:update", "gateway:resync"]);
    bobSocket = await connect(gatewayB, bob);
    heardOnB = recordEvents(bobSocket, ["message:create", "presence:update", "gateway:resync"]);
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await nodes.stopAll();
    await redis?.stop();
    await database?.drop().catch(() => {});
  }, 60_000);

  test("with Redis up: every node is healthy, a message crosses nodes, Alice is online", async () => {
    for (const node of [apiNode, gatewayA, gatewayB]) expect((await health(node.url)).status).toBe(200);
    const posted = await api.post(`/api/v1/channels/${channelId}/messages`, { content: "before the outage" }, alice.token);
    expect(posted.status).toBe(201);
    for (const heard of [heardOnA, heardOnB]) await waitFor(() => payloadsOf(heard, "message:create").some((m) => m.id === posted.body.id), 5_000, "live delivery");
    lastSeenBeforeOutage = posted.body.id;
    expect(await statusIn(bob, alice.user.id)).toBe("online");
  });

  test("Redis stops: every node still answers /api/health 200, degraded, naming redis (it can still serve)", async () => {
    await redis.stop();
    for (const node of [apiNode, gatewayA, gatewayB]) {
      const answer = await eventually(async () => {
        const h = await health(node.url);
        return h.body.status !== "ok" && h;
      }, 10_000, `${node.role} to report redis failing`);
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe("degraded");
      expect(answer.body.checks.redis).toMatch(/^failing/);
      expect(answer.body.checks.database).toBe("ok");
    }
  });

  test("Redis down: a REST send on the API node and a message:send on gateway B still succeed and are in history", async () => {
    const posted = await api.post(`/api/v1/channels/${channelId}/messages`, { content: "over REST, Redis down", nonce: "down-rest" }, alice.token);
    expect(posted.status).toBe(201);
    const ack = await emitWithAck(bobSocket, "message:send", { channelId, content: "over the gateway, Redis down", nonce: "down-gw" });
    expect(ack.ok).toBe(true);
    sentDuringOutage.push(posted.body, ack.message);

    const history = await api.get(`/api/v1/channels/${channelId}/messages?limit=10`, bob.token);
    expect(history.status).toBe(200);
    expect(history.body.slice(0, 2).map((m: { id: string }) => m.id)).toEqual([ack.message.id, posted.body.id]);
  });

  test("Redis down: retries are still deduplicated (through the database) and the rate limit still holds (per process)", async () => {
    const [onA, onB] = [await connect(gatewayA, alice), await connect(gatewayB, alice)];
    const payload = { channelId, content: "retried during the outage", nonce: "down-retry" };
    const first = await emitWithAck(onA, "message:send", payload);
    expect(first.ok).toBe(true);
    expect(await emitWithAck(onB, "message:send", payload)).toEqual(first);
    const viaRest = await api.post(`/api/v1/channels/${channelId}/messages`, { content: payload.content, nonce: payload.nonce }, alice.token);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body.id).toBe(first.message.id);
    sentDuringOutage.push(first.message);

    // A fresh sender on one node: that node's own budget of 5 per second still applies.
    // (A burst slower than a second proves nothing: then again, as someone new.)
    for (let attempt = 1; ; attempt++) {
      const carol = await registerUser(api);
      await joinServer(api, shared, alice, carol);
      const carolSocket = await connect(gatewayA, carol);
      const started = Date.now();
      const acks = [];
      for (let i = 0; i < 6; i++) acks.push(await emitWithAck(carolSocket, "message:send", { channelId, content: `carol ${i}` }));
      sentDuringOutage.push(...acks.filter((a) => a.ok).map((a) => a.message));
      if (Date.now() - started >= 1_000 && attempt < 3) continue;
      expect(acks.slice(0, 5).every((a) => a.ok)).toBe(true);
      expect(acks[5]).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
      return;
    }
  });

  test("Redis down: presence degrades to everyone offline in the members list", async () => {
    expect(await statusIn(bob, alice.user.id)).toBe("offline");
    expect(await statusIn(alice, bob.user.id)).toBe("offline");
  });

  test("Redis down for a while (heartbeats, sweeps and publishes all failing): no node crashed, each still answers", async () => {
    await settle(LEASE_S * 1000); // several heartbeat and sweep rounds against a dead Redis
    for (const node of [apiNode, gatewayA, gatewayB]) {
      expect(isRunning(node), `${node.role} on ${node.port} is alive\n${node.output()}`).toBe(true);
      expect((await health(node.url)).body.status).toBe("degraded");
    }
    expect(apiNode.output() + gatewayA.output() + gatewayB.output()).not.toMatch(/unhandled|uncaught/i);
  });

  test(
    "Redis back on the same port: health returns to ok, live delivery across nodes resumes and presence comes back, with no node restarted",
    { timeout: 90_000 },
    async () => {
      await redis.start();
      for (const node of [apiNode, gatewayA, gatewayB]) {
        await eventually(async () => (await health(node.url)).body.status === "ok", 20_000, `${node.role} healthy again`);
      }

      // Fan-out resumes once each node's subscription is back: a message sent now reaches both sides.
      const probeIds = new Set<string>();
      await eventually(async () => {
        const res = await api.post(`/api/v1/channels/${channelId}/messages`, { content: "is anyone there?" }, alice.token);
        if (res.status === 201) probeIds.add(res.body.id);
        await settle(300);
        const seen = (heard: typeof heardOnA) => payloadsOf(heard, "message:create").some((m) => probeIds.has(m.id));
        return seen(heardOnA) && seen(heardOnB);
      }, 20_000, "a message POSTed to the API node to reach gateways A and B", 1_000);

      const over = await emitWithAck(bobSocket, "message:send", { channelId, content: "back to normal" });
      expect(over.ok).toBe(true);
      for (const heard of [heardOnA, heardOnB]) await waitFor(() => payloadsOf(heard, "message:create").some((m) => m.id === over.message.id), 5_000, "delivery from gateway B");
      await settle(500);
      for (const heard of [heardOnA, heardOnB]) expect(payloadsOf(heard, "message:create").filter((m) => m.id === over.message.id)).toHaveLength(1);

      // Nobody reconnected, so the clients must be told that they may have missed events
      // (docs/api.md, gateway:resync); each then fills from history what it holds.
      for (const heard of [heardOnA, heardOnB]) await waitFor(() => payloadsOf(heard, "gateway:resync").length > 0, 10_000, "gateway:resync on both gateways");
      for (const heard of [heardOnA, heardOnB]) {
        const live = new Set(payloadsOf(heard, "message:create").map((m) => m.id));
        expect(sentDuringOutage.some((m) => !live.has(m.id)), "the outage did lose live events (else the notice proves nothing)").toBe(true);
      }

      // Clients fill the gap from history: exactly what was sent while Redis was down.
      const gap = await api.get(`/api/v1/channels/${channelId}/messages?after=${lastSeenBeforeOutage}&limit=100`, bob.token);
      const gapIds = gap.body.map((m: { id: string }) => m.id).filter((id: string) => !probeIds.has(id) && id !== over.message.id);
      expect(gapIds).toEqual(sentDuringOutage.map((m) => m.id).sort((x, y) => (BigInt(x) < BigInt(y) ? 1 : -1)));

      // Presence: the next heartbeat (every lease / 3) restores the leases Redis lost.
      // Each gateway renews on its own timer, so wait for both users.
      await eventually(async () => (await statusIn(bob, alice.user.id)) === "online", (LEASE_S / 3 + 5) * 1000, "alice online again");
      await eventually(async () => (await statusIn(alice, bob.user.id)) === "online", (LEASE_S / 3 + 5) * 1000, "bob online again");

      for (const node of [apiNode, gatewayA, gatewayB]) {
        expect(isRunning(node)).toBe(true);
        expect(node.pid).toBe(pidsAtStart[node.url]);
      }
    },
  );
}
