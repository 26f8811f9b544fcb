// The resume log under trouble (server/gateway/cluster-resume.ts): two Socket.IO nodes in this
// process with the Redis adapter and the resume log, on a redis-server of this test's own (the
// test pauses it). A malformed entry on the log channel is ignored and the node keeps
// delivering; a publish slower than the publisher's command timeout is delivered once, not
// once by the fallback and once more by Redis; what a node sends one socket (Socket.IO routes
// every socket.emit through the adapter when recovery is on) keeps its order with what the
// node sends a group of its sockets; a counter Redis lost or rewound never gives an offset twice.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createRedisClient } from "../../lib/adapters/redis/client";
import { createLogger } from "../../lib/logger";
import { parleyAdapter } from "../../server/gateway/adapter";
import { installClusterResume, resumeLogKeys } from "../../server/gateway/cluster-resume";
import { ownRedisServer, redisServerInstalled, uniqueRedisPrefix, type OwnRedis } from "../support/redis";

const hasRedisServer = redisServerInstalled();

const log = createLogger("silent");
const WINDOW_MS = 4_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!hasRedisServer) {
  describe.skip("the resume log under trouble", () => test("redis-server is not installed", () => {}));
} else {
  let redis: OwnRedis;
  const prefix = uniqueRedisPrefix("resume-log");
  const keys = resumeLogKeys(prefix);
  const opened: Array<{ close(): unknown }> = [];

  beforeAll(async () => {
    redis = await ownRedisServer();
    await redis.start();
  }, 30_000);
  afterAll(() => redis?.stop());
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await o.close();
  });

  interface Node {
    io: Server;
    url: string;
  }

  async function node(): Promise<Node> {
    const pub = createRedisClient(redis.url, "publisher", log);
    const sub = createRedisClient(redis.url, "subscriber", log);
    const http: HttpServer = createServer();
    const stops: Array<() => void> = [];
    const io = new Server(http, {
      connectionStateRecovery: { maxDisconnectionDuration: WINDOW_MS, skipMiddlewares: false },
      adapter: parleyAdapter(createAdapter(pub, sub, { key: `${prefix}socket.io` }) as never, (made) =>
        void stops.push(installClusterResume(made, { pub, sub, keys, windowMs: WINDOW_MS, sessionData: (d) => d, log })),
      ) as never,
    });
    await new Promise<void>((r) => http.listen(0, "127.0.0.1", () => r()));
    await sleep(200); // subscriptions in place
    opened.push({
      close: async () => {
        for (const stop of stops) stop();
        await new Promise<void>((r) => io.close(() => r()));
        pub.disconnect();
        sub.disconnect();
      },
    });
    return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
  }

  async function client(url: string): Promise<Socket> {
    const socket = connect(url, { transports: ["websocket"], reconnection: false, forceNew: true });
    opened.push(socket);
    await new Promise<void>((r) => socket.once("connect", () => r()));
    return socket;
  }

  function record(socket: Socket): unknown[][] {
    const seen: unknown[][] = [];
    socket.onAny((...args) => seen.push(args));
    return seen;
  }

  async function admin(): Promise<Redis> {
    const client = new Redis(redis.url);
    opened.push({ close: () => client.disconnect() });
    await new Promise((r) => client.once("ready", r));
    return client;
  }

  describe("the resume log under trouble", () => {
    test("a malformed entry on the log channel is ignored: the node stays up and keeps delivering", async () => {
      const a = await node();
      const socket = await client(a.url);
      const seen = record(socket);
      const publisher = await admin();
      for (const junk of ["garbage", "17|null", "18|[1]", "19|[[1],[],[]]", "x|[[\"e\"],[],[]]", "20|{"]) await publisher.publish(keys.channel, junk);
      a.io.emit("after junk", { ok: true });
      await sleep(300);
      expect(seen.map(([event]) => event)).toEqual(["after junk"]);
    });

    test("a publish slower than the publisher's command timeout is delivered once, with its offset", async () => {
      const a = await node();
      const socket = await client(a.url);
      const seen = record(socket);
      // Redis stalls writes for 1.5 s (a slow fork, a failover); the publisher gives up after 1 s.
      await (await admin()).call("CLIENT", "PAUSE", "1500", "WRITE");
      a.io.emit("hello", { n: 1 });
      await sleep(2_500);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toEqual(["hello", { n: 1 }, expect.stringMatching(/^\d+$/)]);
    });

    test("what a node sends one of its sockets keeps its order with what it sends a group of its sockets", async () => {
      const a = await node();
      const [s, t] = [await client(a.url), await client(a.url)];
      const seen = record(s);
      const ids = [s.id!, t.id!];
      a.io.of("/").sockets.get(s.id!)!.emit("members:list", { op: "SYNC" });
      a.io.local.to(ids).emit("members:list", { op: "UPDATE" });
      await sleep(300);
      expect(seen.map(([, payload]) => (payload as { op: string }).op)).toEqual(["SYNC", "UPDATE"]);
    });

    test("a counter Redis lost or rewound never gives an offset twice", async () => {
      const a = await node();
      const socket = await client(a.url);
      const seen = record(socket);
      a.io.emit("first", {});
      await sleep(200);
      // As after a snapshot from before it was restored, or a failover to a replica that lagged.
      await (await admin()).set(keys.counter, "5");
      a.io.emit("second", {});
      await sleep(200);
      const [first, second] = seen.map((args) => BigInt(String(args.at(-1))));
      expect(second! > first!).toBe(true);
    });
  });
}
