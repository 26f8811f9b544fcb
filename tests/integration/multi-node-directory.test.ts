// The gateway directory across processes (contract v2 "Directory"): an api node and gateway
// nodes on PostgreSQL and Redis. Lookups spread users over the live gateways and stay put; a
// gateway stopped with SIGTERM leaves the directory at once, tells its connections the node
// that takes them over, and exits within 10 s; a killed one drops out when its lease ends.
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readEnv } from "../../lib/config/env";
import { apiClient, registerUser, type ApiClient, type TestUser } from "../support/api";
import { cluster, eventually, isRunning, requireBuild, type NodeProcess } from "../support/cluster";
import { createThrowAwayDatabase, type ThrowAwayDatabase } from "../support/database";
import { connectClient, waitFor, type GatewayClient } from "../support/gateway";
import { deleteKeysUnder, uniqueRedisPrefix } from "../support/redis";

const { DATABASE_URL, REDIS_URL } = readEnv();
/** A short lease, so that a killed node drops out of the directory in seconds (default 10 s). */
const LEASE_S = 4;

if (!DATABASE_URL || !REDIS_URL) {
  describe.skip("gateway directory across nodes", () => test("needs DATABASE_URL and REDIS_URL", () => {}));
} else {
  let database: ThrowAwayDatabase;
  const redisPrefix = uniqueRedisPrefix("directory");
  const nodes = cluster(() => ({
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    redisPrefix,
    presenceLeaseSeconds: 6,
    // Lookups are polled here: far more than a person's client makes.
    env: { GATEWAY_DIRECTORY_LEASE_SECONDS: String(LEASE_S), GATEWAY_LOOKUPS_PER_MINUTE: "100000" },
  }));
  let api: ApiClient;
  let users: TestUser[];
  const sockets: GatewayClient[] = [];

  const gatewayOf = async (user: TestUser): Promise<string> => {
    const res = await api.get("/api/v1/gateway", user.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.url;
  };
  const directory = async () => Promise.all(users.map(gatewayOf));

  beforeAll(async () => {
    requireBuild();
    database = await createThrowAwayDatabase(DATABASE_URL, "directory");
    api = apiClient((await nodes.start("api")).url);
    users = await Promise.all(Array.from({ length: 30 }, () => registerUser(api)));
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await nodes.stopAll();
    await database?.drop();
    await deleteKeysUnder(REDIS_URL, redisPrefix);
  }, 60_000);

  describe("gateway directory across nodes", () => {
    let gatewayA: NodeProcess;
    let gatewayB: NodeProcess;

    test("spreads users over the live gateways, and a user keeps their node", async () => {
      [gatewayA, gatewayB] = await Promise.all([nodes.start("gateway"), nodes.start("gateway")]);
      const first = await eventually(async () => {
        const urls = await directory();
        return new Set(urls).size === 2 && urls;
      }, 10_000, "lookups naming both gateways");
      expect(new Set(first)).toEqual(new Set([gatewayA.url, gatewayB.url]));
      expect(await directory(), "stable while the set of nodes holds").toEqual(first);
      // As the contract says: an absolute URL on which a client opens Socket.IO with path /gateway.
      for (const url of first) expect(new URL(url).pathname).toBe("/");
      const contractClient = io(first[0]!, { path: "/gateway", transports: ["websocket"], auth: { token: users[0]!.token }, reconnection: false, forceNew: true });
      try {
        await new Promise((resolve, reject) => {
          contractClient.once("ready", resolve);
          contractClient.once("connect_error", reject);
        });
      } finally {
        contractClient.close();
      }
    }, 120_000);

    test("a node that joins takes only users from others, and a killed one drops out within its lease", async () => {
      const before = await directory();
      const gatewayC = await nodes.start("gateway");
      const withC = await eventually(async () => {
        const urls = await directory();
        return urls.includes(gatewayC.url) && urls;
      }, 10_000, "a lookup naming the new gateway");
      withC.forEach((url, i) => {
        if (url !== gatewayC.url) expect(url, "only the users hashed to the new node move").toBe(before[i]);
      });

      gatewayC.child.kill("SIGKILL");
      const killedAt = Date.now();
      await eventually(async () => !(await directory()).includes(gatewayC.url), 10_000, "the killed node out of the directory");
      expect(Date.now() - killedAt, "within its lease and a renewal").toBeLessThan((LEASE_S + 2) * 1_000);
      expect(await directory(), "its users are back where they were").toEqual(before);
    }, 120_000);

    test("SIGTERM: the node leaves at once, tells its connections where to go, and exits within 10 s", async () => {
      const urls = await directory();
      const onA = users.filter((_, i) => urls[i] === gatewayA.url);
      expect(onA.length).toBeGreaterThan(0);
      const told: Array<{ url: string } | undefined> = [];
      for (const [i, user] of onA.entries()) {
        const { socket } = await connectClient(gatewayA.url, user.token);
        sockets.push(socket);
        socket.on("gateway:reconnect", (payload) => (told[i] = payload));
      }

      const stoppedAt = Date.now();
      gatewayA.child.kill("SIGTERM");
      // At once: well before its lease (LEASE_S) could have run out.
      await eventually(async () => (await Promise.all(onA.map(gatewayOf))).every((url) => url === gatewayB.url), (LEASE_S - 1.5) * 1_000, "lookups naming the other node", 50);
      await waitFor(() => told.filter(Boolean).length === onA.length, 8_000, "every connection told where to go");
      expect(told).toEqual(onA.map(() => ({ url: gatewayB.url })));
      await gatewayA.exited;
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
      expect(isRunning(gatewayA)).toBe(false);
      expect(gatewayA.child.exitCode).toBe(0);
    }, 60_000);
  });
}
