// The deployment of the README as separate OS processes: one `api` node and two `gateway`
// nodes (A and B) sharing a throw-away PostgreSQL database and Redis. Every behaviour of the
// contract holds whichever node a client talks to.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readEnv } from "../../lib/config/env";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient, type TestUser } from "../support/api";
import { cluster, eventually, health, isRunning, requireBuild, type NodeProcess } from "../support/cluster";
import { createThrowAwayDatabase, type ThrowAwayDatabase } from "../support/database";
import { connectClient, emitWithAck, handshakeError, payloadsOf, recordEvents, settle, waitFor, type GatewayClient } from "../support/gateway";
import { deleteKeysUnder, uniqueRedisPrefix } from "../support/redis";
import { MemberListCopy } from "../../lib/domain/member-list/client-copy";
import { expectedRows } from "../support/member-list-model";

const { DATABASE_URL, REDIS_URL } = readEnv();
/** Short leases so that a dead node's users fall offline in seconds (the default is 45 s). */
const LEASE_S = 6;
/** Each gateway sweeps expired leases every min(5 s, lease). */
const SWEEP_S = Math.min(5, LEASE_S);

if (!DATABASE_URL || !REDIS_URL) {
  const missing = [!DATABASE_URL && "DATABASE_URL", !REDIS_URL && "REDIS_URL"].filter(Boolean).join(" and ");
  console.info(`[multi-node] ${missing} not set: the multi-node tier (api + 2 gateway processes on PostgreSQL and Redis) is skipped.`);
  describe.skip("multi-node", () => test(`needs ${missing}`, () => {}));
} else {
  let database: ThrowAwayDatabase;
  const redisPrefix = uniqueRedisPrefix("multinode");
  const nodes = cluster(() => ({ databaseUrl: database.url, redisUrl: REDIS_URL, redisPrefix, presenceLeaseSeconds: LEASE_S }));
  let apiNode: NodeProcess;
  let gatewayA: NodeProcess;
  let gatewayB: NodeProcess;
  let api: ApiClient;
  const sockets: GatewayClient[] = [];

  /** A ready socket of `user` on `node`, kept for cleanup. */
  const connect = async (node: NodeProcess, user: TestUser) => {
    const { socket } = await connectClient(node.url, user.token);
    sockets.push(socket);
    return socket;
  };
  /** Two people who share a fresh server, made through the API node. */
  const pair = async () => {
    const [a, b] = [await registerUser(api), await registerUser(api)];
    const server = await createServerAs(api, a, "multi-node");
    await joinServer(api, server, a, b);
    return { a, b, server, channelId: server.channels[0]!.id };
  };
  const statusIn = async (serverId: string, viewer: TestUser, userId: string): Promise<string | undefined> => {
    const res = await api.get(`/api/v1/servers/${serverId}/members`, viewer.token);
    expect(res.status).toBe(200);
    return res.body.find((m: { user: { id: string } }) => m.user.id === userId)?.status;
  };

  beforeAll(async () => {
    requireBuild();
    database = await createThrowAwayDatabase(DATABASE_URL, "multinode");
    // The API node first: it runs the migrations (the others would wait on the advisory lock).
    apiNode = await nodes.start("api");
    [gatewayA, gatewayB] = await Promise.all([nodes.start("gateway"), nodes.start("gateway")]);
    api = apiClient(apiNode.url);
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await nodes.stopAll();
    await database?.drop().catch(() => {});
    await deleteKeysUnder(REDIS_URL, redisPrefix);
  }, 60_000);

  test("every node reports its database and Redis as ok in /api/health", async () => {
    for (const node of [apiNode, gatewayA, gatewayB]) {
      const { status, body } = await health(node.url);
      expect(status, `${node.role} on ${node.port}`).toBe(200);
      expect(body.status).toBe("ok");
      expect(body.checks).toMatchObject({ database: "ok", redis: "ok" });
    }
    expect((await health(apiNode.url)).body.checks.app).toBe("ok");
  });

  test("a gateway node serves no REST: /api/v1 routes answer 404 with a JSON error", async () => {
    const someone = await registerUser(api);
    for (const [method, path] of [["GET", "/api/v1/users/@me"], ["POST", "/api/v1/servers"], ["GET", "/api/v1/servers"]] as const) {
      const res = await apiClient(gatewayA.url).request(method, path, { token: someone.token, body: method === "POST" ? { name: "nope" } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      expect(res.body).toEqual({ error: { code: "NOT_FOUND", message: expect.any(String) } });
    }
  });

  test("the API node holds no sockets: a gateway connection to it fails", async () => {
    const someone = await registerUser(api); // also wakes Next, whose own upgrade listener ignores /gateway
    const started = Date.now();
    const error = await handshakeError(apiNode.url, someone.token, { timeoutMs: 10_000 });
    // Refused at once with a transport error (not left hanging, not an answer from a gateway).
    expect(error).toBe("websocket error");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test("clients on gateway A and gateway B both receive a message POSTed to the API node and one sent over gateway B, in order, exactly once each", async () => {
    const { a, b, channelId } = await pair();
    const onA = recordEvents(await connect(gatewayA, a), ["message:create"]);
    const socketOnB = await connect(gatewayB, b);
    const onB = recordEvents(socketOnB, ["message:create"]);

    const sent = [];
    for (let round = 0; round < 3; round++) {
      const posted = await api.post(`/api/v1/channels/${channelId}/messages`, { content: `via the API node #${round}`, nonce: `api-${round}` }, a.token);
      expect(posted.status).toBe(201);
      sent.push(posted.body);
      const ack = await emitWithAck(socketOnB, "message:send", { channelId, content: `via gateway B #${round}`, nonce: `gw-${round}` });
      expect(ack.ok).toBe(true);
      sent.push(ack.message);
    }

    for (const heard of [onA, onB]) await waitFor(() => heard.length >= sent.length, 10_000, `${sent.length} messages`);
    await settle(500); // time for a duplicate to show up
    expect(payloadsOf(onA, "message:create")).toEqual(sent);
    expect(payloadsOf(onB, "message:create")).toEqual(sent);
    const history = await api.get(`/api/v1/channels/${channelId}/messages`, b.token);
    expect(history.body.map((m: { id: string }) => m.id)).toEqual(sent.map((m) => m.id).reverse());
  });

  test("member lists: watchers on gateway A and gateway B keep the same rows through presence on either gateway and joins and leaves through the API node", async () => {
    const { a, b, server } = await pair();
    const watchers = [await connect(gatewayA, a), await connect(gatewayB, b)].map((socket) => {
      const copy = new MemberListCopy();
      socket.on("members:list", (update) => update.serverId === server.id && copy.apply(update));
      return { socket, copy };
    });
    for (const { socket } of watchers) expect(await emitWithAck(socket, "members:subscribe", { serverId: server.id, ranges: [[0, 99]] })).toEqual({ ok: true });
    const listIs = async () => {
      const truth = expectedRows((await api.get(`/api/v1/servers/${server.id}/members?limit=1000`, a.token)).body);
      for (const { copy } of watchers)
        await eventually(
          async () => {
            expect(copy.slice(0, 99)).toEqual(truth);
            return true;
          },
          10_000,
          "the watcher's rows to match the list",
          50,
        );
    };
    await listIs();
    const c = await registerUser(api);
    await joinServer(api, server, a, c); // through the API node
    await listIs();
    const cOnB = await connect(gatewayB, c);
    await listIs();
    expect(await emitWithAck(cOnB, "presence:set", { status: "idle" })).toEqual({ ok: true });
    await listIs();
    cOnB.close();
    await listIs();
    expect((await api.delete(`/api/v1/servers/${server.id}/members/@me`, c.token)).status).toBe(204);
    await listIs();
  });

  test("passive sessions: a client on gateway A focusing one channel hears it in full and the other as coalesced channel:activity, whether messages come through the API node or gateway B", async () => {
    const { a, b, server, channelId: general } = await pair();
    const random = (await api.post(`/api/v1/servers/${server.id}/channels`, { name: "random" }, a.token)).body.id as string;
    const passiveOnA = await connect(gatewayA, b);
    const heardOnA = recordEvents(passiveOnA, ["message:create", "channel:activity"]);
    expect(await emitWithAck(passiveOnA, "channels:focus", { channelIds: [general] })).toEqual({ ok: true });
    const senderOnB = await connect(gatewayB, a);
    const heardOnB = recordEvents(senderOnB, ["message:create", "channel:activity"]);

    // Two messages in #random within one window, from two nodes; then one in #general.
    const viaApi = await api.post(`/api/v1/channels/${random}/messages`, { content: "via the API node" }, a.token);
    expect(viaApi.status).toBe(201);
    const viaB = await emitWithAck(senderOnB, "message:send", { channelId: random, content: "via gateway B" });
    expect(viaB.ok).toBe(true);
    const marker = await emitWithAck(senderOnB, "message:send", { channelId: general, content: "in the focused channel" });
    expect(marker.ok).toBe(true);

    await waitFor(() => payloadsOf(heardOnA, "message:create").length > 0, 10_000, "the focused channel's message on A");
    // The first at once; the second folded into the trailing one at the end of the 2 s window.
    await waitFor(() => payloadsOf(heardOnA, "channel:activity").length === 2, 10_000, "two channel:activity on A");
    await settle(500);
    expect(payloadsOf(heardOnA, "message:create")).toEqual([marker.message]);
    expect(payloadsOf(heardOnA, "channel:activity")).toEqual([
      { channelId: random, serverId: server.id, lastMessageId: viaApi.body.id },
      { channelId: random, serverId: server.id, lastMessageId: viaB.message.id },
    ]);
    // A connection that never focused still hears everything, on the other gateway.
    expect(payloadsOf(heardOnB, "message:create").map((m) => m.id)).toEqual([viaApi.body.id, viaB.message.id, marker.message.id]);
    expect(payloadsOf(heardOnB, "channel:activity")).toEqual([]);
  });

  test("passive sessions: a server joined through the API node while passive reaches gateway A's socket as channel:activity, not in full", async () => {
    const { a, b, channelId: home } = await pair();
    const passiveOnA = await connect(gatewayA, b);
    const heard = recordEvents(passiveOnA, ["message:create", "channel:activity", "server:join"]);
    expect(await emitWithAck(passiveOnA, "channels:focus", { channelIds: [home] })).toEqual({ ok: true });

    const other = await createServerAs(api, a, "joined while passive");
    await joinServer(api, other, a, b);
    await waitFor(() => payloadsOf(heard, "server:join").length === 1, 10_000, "server:join on A");
    const inOther = await api.post(`/api/v1/channels/${other.channels[0]!.id}/messages`, { content: "not in full" }, a.token);
    const marker = await api.post(`/api/v1/channels/${home}/messages`, { content: "marker" }, a.token);
    await waitFor(() => payloadsOf(heard, "message:create").length > 0, 10_000, "the marker");
    await waitFor(() => payloadsOf(heard, "channel:activity").length > 0, 10_000, "channel:activity");
    expect(payloadsOf(heard, "message:create").map((m) => m.id)).toEqual([marker.body.id]);
    expect(payloadsOf(heard, "channel:activity")).toEqual([{ channelId: other.channels[0]!.id, serverId: other.id, lastMessageId: inOther.body.id }]);
  });

  test("logout through the API node closes that sign-in's sockets on both gateways at once; a password change closes the other sign-ins'", async () => {
    const { a } = await pair();
    const secondSignIn = (await api.post("/api/v1/auth/login", { username: a.user.username, password: "correct horse battery" })).body.token as string;
    const [onA, onB] = [await connect(gatewayA, a), await connect(gatewayB, a)];
    const other = (await connectClient(gatewayB.url, secondSignIn)).socket;
    sockets.push(other);
    expect((await api.post("/api/v1/auth/logout", {}, a.token)).status).toBe(204);
    // Well before the database poll (5 s): Redis brought it.
    await waitFor(() => !onA.connected && !onB.connected, 2_500, "both gateways to close the ended sign-in's sockets");
    expect(await handshakeError(gatewayA.url, a.token)).toBe("UNAUTHORIZED");
    expect(other.connected).toBe(true);

    const changed = await api.request("PUT", "/api/v1/users/@me/password", { token: secondSignIn, body: { currentPassword: "correct horse battery", newPassword: "a new long password" } });
    expect(changed.status).toBe(200);
    await waitFor(() => !other.connected, 2_500, "gateway B to close the other sign-in's socket");
    const { socket: fresh } = await connectClient(gatewayA.url, changed.body.token);
    sockets.push(fresh);
    expect((await api.get("/api/v1/users/@me", secondSignIn)).status).toBe(401);
  });

  test("rate limit: 6 sends within one second split across both gateways -> the 6th is refused (and REST counts too)", async () => {
    // A burst slower than a second (a loaded machine) proves nothing: try again, as someone new.
    for (let attempt = 1; ; attempt++) {
      const { a, channelId } = await pair();
      const [socketA, socketB] = [await connect(gatewayA, a), await connect(gatewayB, a)];
      const started = Date.now();
      const acks = [];
      for (let i = 0; i < 6; i++) acks.push(await emitWithAck(i % 2 === 0 ? socketA : socketB, "message:send", { channelId, content: `burst ${i}` }));
      const overRest = await api.post(`/api/v1/channels/${channelId}/messages`, { content: "burst 7, over REST" }, a.token);
      if (Date.now() - started >= 1_000 && attempt < 3) continue;
      expect(Date.now() - started, "the burst must fit in one second for this test to mean anything").toBeLessThan(1_000);

      expect(acks.slice(0, 5).map((ack) => ack.ok)).toEqual([true, true, true, true, true]);
      expect(acks[5]).toEqual({ ok: false, error: { code: "RATE_LIMITED", message: expect.any(String) } });
      expect(overRest.status).toBe(429);
      expect(overRest.body.error.code).toBe("RATE_LIMITED");
      expect(Number(overRest.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const history = await api.get(`/api/v1/channels/${channelId}/messages`, a.token);
      expect(history.body).toHaveLength(5);
      return;
    }
  });

  test("idempotency: the same nonce sent to gateway A, then B, then the API node stores and delivers one message", async () => {
    const { a, b, channelId } = await pair();
    const [socketA, socketB] = [await connect(gatewayA, a), await connect(gatewayB, a)];
    const watcher = recordEvents(await connect(gatewayB, b), ["message:create"]);
    const payload = { channelId, content: "only once, wherever it is retried", nonce: "retry-me" };

    const first = await emitWithAck(socketA, "message:send", payload);
    expect(first.ok).toBe(true);
    const second = await emitWithAck(socketB, "message:send", payload);
    expect(second).toEqual(first);
    const third = await api.post(`/api/v1/channels/${channelId}/messages`, { content: payload.content, nonce: payload.nonce }, a.token);
    expect(third.status).toBe(200);
    expect(third.body).toEqual(first.message);

    const history = await api.get(`/api/v1/channels/${channelId}/messages`, b.token);
    expect(history.body.map((m: { id: string }) => m.id)).toEqual([first.message.id]);
    await waitFor(() => watcher.length > 0, 5_000, "message:create");
    await settle(500);
    expect(payloadsOf(watcher, "message:create")).toEqual([first.message]);
  });

  // Last two: they stop nodes.
  test(
    "presence: a user only on gateway A is online to a user on gateway B; SIGKILL A and they go offline within lease + sweep; reconnecting to B brings them back",
    { timeout: 120_000 },
    async () => {
      const { a: dave, b: carol, server } = await pair();
      const seenByCarol = recordEvents(await connect(gatewayB, carol), ["presence:update"]);
      const daveSays = () => payloadsOf(seenByCarol, "presence:update").filter((p) => p.userId === dave.user.id).map((p) => p.status);

      const daveOnA = await connect(gatewayA, dave);
      await waitFor(() => daveSays().length > 0, 5_000, "dave online");
      expect(daveSays()).toEqual(["online"]);
      expect(await statusIn(server.id, carol, dave.user.id)).toBe("online");

      // Heartbeats from A keep the lease alive past its first term: no flapping.
      await settle((LEASE_S + 1) * 1000);
      expect(daveSays()).toEqual(["online"]);
      expect(await statusIn(server.id, carol, dave.user.id)).toBe("online");

      process.kill(gatewayA.pid, "SIGKILL");
      const killedAt = Date.now();
      expect(await gatewayA.exited).toBe("SIGKILL");
      await waitFor(() => daveSays().length > 1, 60_000, "dave offline after gateway A died");
      const offlineAfterMs = Date.now() - killedAt;
      expect(daveSays()).toEqual(["online", "offline"]);
      // The lease ran out at most LEASE_S after the last heartbeat; a sweep follows within SWEEP_S.
      expect(offlineAfterMs).toBeLessThanOrEqual((LEASE_S + SWEEP_S + 5) * 1000);
      expect(await statusIn(server.id, carol, dave.user.id)).toBe("offline");
      expect(daveOnA.connected).toBe(false);

      await connect(gatewayB, dave);
      await waitFor(() => daveSays().length > 2, 5_000, "dave online again");
      await settle(500);
      expect(daveSays()).toEqual(["online", "offline", "online"]);
      expect(await statusIn(server.id, carol, dave.user.id)).toBe("online");

      // The rest of the deployment did not notice: still up and healthy.
      expect(isRunning(apiNode) && isRunning(gatewayB)).toBe(true);
      expect((await health(apiNode.url)).status).toBe(200);
      expect((await health(gatewayB.url)).status).toBe(200);
    },
  );

  test("a gateway stopped with SIGTERM exits cleanly and takes its users offline at once, not a lease later; so does the API node", { timeout: 60_000 }, async () => {
    const { a, b, server } = await pair();
    await connect(gatewayB, a);
    await connect(gatewayB, b);
    await eventually(async () => (await statusIn(server.id, a, b.user.id)) === "online", 5_000, "b online");

    process.kill(gatewayB.pid, "SIGTERM");
    const stoppedAt = Date.now();
    expect(await gatewayB.exited).toBe(0);
    expect(await statusIn(server.id, a, a.user.id)).toBe("offline");
    expect(await statusIn(server.id, a, b.user.id)).toBe("offline");
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_S * 1000);

    process.kill(apiNode.pid, "SIGTERM");
    expect(await apiNode.exited).toBe(0);
    expect(apiNode.output()).not.toMatch(/unhandled|uncaught/i);
  });
}
