// Resume across nodes (contract v2 "Resume": "to any gateway node"): an api node and two
// gateways on PostgreSQL and Redis, behind nginx. A connection lost on one gateway comes back
// on the other and gets every event it missed (from the api node and from either gateway), in
// order, once, and no `ready`; its focus goes with it. A gateway stopped with SIGTERM moves its
// connections to the other without a fresh `ready` and without losing a message sent during the
// drain. A session resumes once, only for its own user, and not after the window.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readEnv } from "../../lib/config/env";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient, type TestUser } from "../support/api";
import { cluster, requireBuild, type NodeProcess } from "../support/cluster";
import { createThrowAwayDatabase, type ThrowAwayDatabase } from "../support/database";
import { comeBack, connectClient, emitWithAck, loseConnection, payloadsOf, pointAt, rawFrames, recordEvents, settle, waitFor, type GatewayClient } from "../support/gateway";
import { deleteKeysUnder, uniqueRedisPrefix } from "../support/redis";

const { DATABASE_URL, REDIS_URL } = readEnv();
const WINDOW_S = 4;

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
    env: { GATEWAY_RESUME_SECONDS: String(WINDOW_S), GATEWAY_LOOKUPS_PER_MINUTE: "100000" },
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
      const focused = await overRest("focused, missed");
      pointAt(socket, gatewayA.url);
      expect(await comeBack(socket)).toEqual({ ok: true, recovered: true });
      const elsewhere = (await api.post(`/api/v1/channels/${other.id}/messages`, { content: "not focused" }, a.token)).body.id as string;
      await waitFor(() => payloadsOf(heard, "channel:activity").some((x) => x.lastMessageId === elsewhere), 5_000, "activity of the unfocused channel");
      await waitFor(() => heardIds().includes(focused), 5_000, "the focused message it missed");
      expect(heardIds()).not.toContain(elsewhere);
    }, 60_000);

    test("a session resumes once, for its own user only, and not after the window", async () => {
      const { socket, heard, overRest } = await listening(gatewayA, gatewayA);
      await loseConnection(socket);
      await overRest("not for the intruder");
      const frames = rawFrames(socket);
      const intruder = await registerUser(api);
      const auth = socket.auth;
      socket.auth = { token: intruder.token };
      pointAt(socket, gatewayB.url);
      expect(await comeBack(socket)).toEqual({ ok: false, error: "UNAUTHORIZED" });
      expect(frames.filter((f) => f.includes("not for the intruder"))).toEqual([]);
      // The refused attempt took the session: the rightful client starts afresh.
      socket.auth = auth;
      expect(await comeBack(socket)).toEqual({ ok: true, recovered: false });
      await waitFor(() => payloadsOf(heard, "ready").length === 1, 5_000, "a fresh ready");

      await loseConnection(socket);
      await settle(WINDOW_S * 1_000 + 500);
      pointAt(socket, gatewayA.url);
      expect(await comeBack(socket)).toEqual({ ok: true, recovered: false });
      await waitFor(() => payloadsOf(heard, "ready").length === 2, 5_000, "a fresh ready after the window");
    }, 60_000);

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
    }, 90_000);
  });
}
