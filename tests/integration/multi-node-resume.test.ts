// Resume across nodes (contract v2 "Resume": "to any gateway node"): an api node and two
// gateways on PostgreSQL and Redis, behind nginx. A connection lost on one gateway comes back
// on the other and gets every event it missed (from the api node and from either gateway), in
// order, once, and no `ready`; its focus goes with it. A gateway stopped with SIGTERM moves its
// connections to the other without a fresh `ready` and without losing a message sent during the
// drain, and their users stay online throughout; one killed with SIGKILL kept nothing, so its
// clients start afresh and fill from history. A session resumes once, only for its own user,
// and not after the window.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readEnv } from "../../lib/config/env";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient, type TestUser } from "../support/api";
import { cluster, requireBuild, type NodeProcess } from "../support/cluster";
import { createThrowAwayDatabase, type ThrowAwayDatabase } from "../support/database";
import { comeBack, connectClient, emitWithAck, loseConnection, payloadsOf, pointAt, rawFrames, recordEvents, settle, waitFor, type GatewayClient } from "../support/gateway";
import { deleteKeysUnder, uniqueRedisPrefix } from "../support/redis";

const { DATABASE_URL, REDIS_URL } = readEnv();
const WINDOW_S = 4;
/** A killed gateway stays in the directory this long (default 10 s). */
const DIRECTORY_LEASE_S = 3;

if (!DATABASE_URL || !REDIS_URL) {
  describe.skip("resume across nodes", () => test("needs DATABASE_URL and REDIS_URL", () => {}));
} else {
  let database: ThrowAwayDatabase;
  const redisPrefix = uniqueRedisPrefix("resume");
  const nodes = cluster(() => ({
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    redisPrefix,
    presenceLeaseSeconds: 6,
    env: { GATEWAY_RESUME_SECONDS: String(WINDOW_S), GATEWAY_LOOKUPS_PER_MINUTE: "100000", GATEWAY_DIRECTORY_LEASE_SECONDS: String(DIRECTORY_LEASE_S) },
  }));
  let api: ApiClient;
  let gatewayA: NodeProcess;
  let gatewayB: NodeProcess;
  const sockets: GatewayClient[] = [];

  beforeAll(async () => {
    requireBuild();
    database = await createThrowAwayDatabase(DATABASE_URL, "resume");
    api = apiClient((await nodes.start("api")).url);
    [gatewayA, gatewayB] = await Promise.all([nodes.start("gateway"), nodes.start("gateway")]);
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await nodes.stopAll();
    await database?.drop();
    await deleteKeysUnder(REDIS_URL, redisPrefix);
  }, 60_000);

  /** `a` listening on `node` (having heard one message), `b` talking to them over REST and over a gateway. */
  async function listening(node: NodeProcess, talkerNode: NodeProcess) {
    const [a, b] = [await registerUser(api), await registerUser(api)];
    const guild = await createServerAs(api, a, "resume across nodes");
    await joinServer(api, guild, a, b);
    const channelId = guild.channels[0]!.id;
    const { socket } = await connectClient(node.url, a.token);
    const { socket: talker } = await connectClient(talkerNode.url, b.token);
    sockets.push(socket, talker);
    const heard = recordEvents(socket, ["message:create", "ready", "channel:activity"]);
    // Paced under the message limit of one sender (5 per second).
    const overRest = async (content: string) => {
      await settle(220);
      const res = await api.post(`/api/v1/channels/${channelId}/messages`, { content }, b.token);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const overGateway = async (content: string) => {
      await settle(220);
      const ack = await emitWithAck(talker, "message:send", { channelId, content });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      return ack.message.id as string;
    };
    const heardIds = () => payloadsOf(heard, "message:create").map((m) => m.id as string);
    const first = await overRest("before");
    await waitFor(() => heardIds().includes(first), 5_000, "the first message");
    return { a, b, guild, channelId, socket, heard, heardIds, overRest, overGateway };
  }

  describe("resume across nodes", () => {
    test("lost on one gateway, back on the other: every missed event in order, once, no ready; then live", async () => {
      const { socket, heard, heardIds, overRest, overGateway } = await listening(gatewayA, gatewayA);
      await loseConnection(socket);
      await settle(500);
      const missed = [await overRest("missed over REST"), await overGateway("missed over gateway A"), await overRest("missed again")];
      pointAt(socket, gatewayB.url);
      expect(await comeBack(socket)).toEqual({ ok: true, recovered: true });
      const live = [await overGateway("live from gateway A"), await overRest("live over REST")];
      await waitFor(() => live.every((id) => heardIds().includes(id)), 5_000, "the live messages");
      await settle(300);
      expect(heardIds().slice(1)).toEqual([...missed, ...live]);
      expect(payloadsOf(heard, "ready")).toEqual([]);
    }, 60_000);

    test("a passive connection stays passive on its new node: focused channels in full, others as activity", async () => {
      const { a, guild, channelId, socket, heard, heardIds, overRest } = await listening(gatewayB, gatewayB);
      const other = (await api.post(`/api/v1/servers/${guild.id}/channels`, { name: "elsewhere" }, a.token)).body;
      expect(await emitWithAck(socket, "channels:focus", { channelIds: [channelId] })).toEqual({ ok: true });
      await loseConnection(socket);
      await settle(500);
      const focused = await overRest("focused, missed");
      pointAt(socket, gatewayA.url);
      expect(await comeBack(socket)).toEqual({ ok: true, recovered: true });
      const elsewhere = (await api.post(`/api/v1/channels/${other.id}/messages`, { content: "not focused" }, a.token)).body.id as string;
      await waitFor(() => payloadsOf(heard, "channel:activity").some((x) => x.lastMessageId === elsewhere), 5_000, "activity of the unfocused channel");
      await waitFor(() => heardIds().includes(focused), 5_000, "the focused message it missed");
      expect(heardIds()).not.toContain(elsewhere);
    }, 60_000);

    test("a session resumes for its own user only (a refused attempt leaves it to them), and not after the window", async () => {
      const { socket, heard, overRest } = await listening(gatewayA, gatewayA);
      await loseConnection(socket);
      // The old node keeps the session once it has seen the drop (a real client waits a
      // reconnection delay of 0.5 s or more before it comes back).
      await settle(500);
      await overRest("not for the intruder");
      const frames = rawFrames(socket);
      const intruder = await registerUser(api);
      const auth = socket.auth;
      socket.auth = { token: intruder.token };
      pointAt(socket, gatewayB.url);
      expect(await comeBack(socket)).toEqual({ ok: false, error: "UNAUTHORIZED" });
      expect(frames.filter((f) => f.includes("not for the intruder"))).toEqual([]);
      // A refused attempt leaves the session for the rightful client, who resumes it, once.
      socket.auth = auth;
      expect(await comeBack(socket)).toEqual({ ok: true, recovered: true });
      await waitFor(() => payloadsOf(heard, "message:create").some((m) => m.content === "not for the intruder"), 5_000, "what it missed");
      await loseConnection(socket);
      await settle(500);
      expect(await comeBack(socket)).toEqual({ ok: true, recovered: true });
      expect(payloadsOf(heard, "ready")).toEqual([]);

      await loseConnection(socket);
      await settle(WINDOW_S * 1_000 + 500);
      pointAt(socket, gatewayA.url);
      expect(await comeBack(socket)).toEqual({ ok: true, recovered: false });
      await waitFor(() => payloadsOf(heard, "ready").length === 1, 5_000, "a fresh ready after the window");
    }, 60_000);

    test("servers left or joined while away: the left one is neither replayed nor heard, the joined one is heard; both changes are replayed", async () => {
      const [owner, leaver] = [await registerUser(api), await registerUser(api)];
      const guild = await createServerAs(api, owner, "left while away");
      const other = await createServerAs(api, owner, "joined while away");
      await joinServer(api, guild, owner, leaver);
      const channelId = guild.channels[0]!.id;
      const { socket } = await connectClient(gatewayA.url, leaver.token);
      sockets.push(socket);
      const heard = recordEvents(socket, ["message:create", "member:remove", "server:join", "ready"]);
      await loseConnection(socket);
      await settle(500);
      // Left one server and joined another in another tab while this one was away.
      expect((await api.delete(`/api/v1/servers/${guild.id}/members/@me`, leaver.token)).status).toBe(204);
      await joinServer(api, other, owner, leaver);
      await api.post(`/api/v1/channels/${channelId}/messages`, { content: "after leaving" }, owner.token);
      pointAt(socket, gatewayB.url);
      expect(await comeBack(socket)).toEqual({ ok: true, recovered: true });
      await waitFor(() => payloadsOf(heard, "member:remove").length === 1 && payloadsOf(heard, "server:join").length === 1, 5_000, "the leave and the join, replayed");
      await api.post(`/api/v1/channels/${channelId}/messages`, { content: "live after leaving" }, owner.token);
      const joinedLive = (await api.post(`/api/v1/channels/${other.channels[0]!.id}/messages`, { content: "in the server joined while away" }, owner.token)).body.id;
      await waitFor(() => payloadsOf(heard, "message:create").some((m) => m.id === joinedLive), 5_000, "a message of the server joined while away");
      await settle(300);
      expect(payloadsOf(heard, "message:create").map((m) => m.content)).toEqual(["in the server joined while away"]);
      expect(payloadsOf(heard, "ready")).toEqual([]);
    }, 60_000);

    test("SIGKILL: nothing was kept, so the client starts afresh on the other gateway and finds what it missed in history", async () => {
      const gatewayC = await nodes.start("gateway");
      const { a, channelId, socket, heard, overRest } = await listening(gatewayC, gatewayA);
      gatewayC.child.kill("SIGKILL");
      await new Promise<void>((resolve) => (socket.connected ? socket.once("disconnect", () => resolve()) : resolve()));
      const missed = await overRest("sent while the node was dead");
      pointAt(socket, gatewayA.url);
      expect(await comeBack(socket)).toEqual({ ok: true, recovered: false });
      await waitFor(() => payloadsOf(heard, "ready").length === 1, 5_000, "a fresh ready");
      const history = await api.get(`/api/v1/channels/${channelId}/messages?limit=10`, a.token);
      expect(history.body.map((m: { id: string }) => m.id)).toContain(missed);
      // Until its lease ends the directory may still name it (the next test's drain would send users there).
      await settle((DIRECTORY_LEASE_S + 1.5) * 1_000);
    }, 90_000);

    test("SIGTERM: every connection of the stopped gateway resumes on the other, missing nothing sent during the drain", async () => {
      const users: TestUser[] = await Promise.all(Array.from({ length: 6 }, () => registerUser(api)));
      const [owner, ...members] = users;
      const guild = await createServerAs(api, owner!, "drain");
      for (const member of members) await joinServer(api, guild, owner!, member);
      const channelId = guild.channels[0]!.id;
      const clients = await Promise.all(
        members.map(async (member) => {
          const { socket } = await connectClient(gatewayA.url, member.token);
          sockets.push(socket);
          const heard = recordEvents(socket, ["message:create", "ready"]);
          const resumed: boolean[] = [];
          socket.on("connect", () => resumed.push(socket.recovered));
          // As the web client: go where the stopping node says, keeping the session.
          socket.on("gateway:reconnect", ({ url }) => {
            pointAt(socket, url);
            socket.io.engine.close();
            socket.connect();
          });
          return { socket, heard, resumed };
        }),
      );
      // The owner watches from the other gateway: a move is no offline-online flicker.
      const { socket: watcher } = await connectClient(gatewayB.url, owner!.token);
      sockets.push(watcher);
      const presence = recordEvents(watcher, ["presence:update"]);
      const acknowledged: string[] = [];
      let sending = true;
      const loop = (async () => {
        // Every user in turn, each under the message limit of one sender (5 per second).
        for (let i = 0; sending && i < 400; i++) {
          const res = await api.post(`/api/v1/channels/${channelId}/messages`, { content: `during drain ${i}` }, users[i % users.length]!.token);
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          acknowledged.push(res.body.id);
          await settle(40);
        }
      })();
      await settle(300);
      gatewayA.child.kill("SIGTERM");
      await gatewayA.exited;
      await settle(500);
      sending = false;
      await loop;
      for (const { heard, resumed } of clients) {
        const ids = () => payloadsOf(heard, "message:create").map((m) => m.id as string);
        await waitFor(() => acknowledged.every((id) => ids().includes(id)), 10_000, "every acknowledged message");
        await settle(200);
        expect(ids(), "each once, in order").toEqual(acknowledged);
        expect(resumed).toEqual([true]);
        expect(payloadsOf(heard, "ready")).toEqual([]);
      }
      expect(acknowledged.length).toBeGreaterThan(10);
      // Not even a late "online" (a lease the old node dropped after the new one took it over).
      expect(payloadsOf(presence, "presence:update"), "no presence change for a move").toEqual([]);
    }, 90_000);
  });
}
