// Runs the EventBus contract against every way Parley fans events out: one process with
// Socket.IO's in-memory adapter, and gateway nodes sharing Redis, published to from a
// socket-less API process (the emitter) or from one of the gateways, with plain or sharded pub/sub.
import { readEnv } from "../../lib/config/env";
import type { RedisConfig } from "../../server/config";
import { createRemoteRoomTarget } from "../../server/gateway/redis-fanout";
import { RoomEventBus } from "../../server/gateway/room-event-bus";
import { deleteKeysUnder, uniqueRedisPrefix } from "../support/redis";
import { startServer, type ParleyServer } from "../support/server";
import { describeEventBusContract, type EventBusHarness } from "./event-bus.contract";
import { silentLog } from "./redis";
import { describe, test } from "vitest";

describeEventBusContract("one process (Socket.IO's in-memory adapter; the bus is the gateway's own)", async () => {
  const server = await startServer();
  return { gateways: [server.url], bus: server.deps.events, metadata: server.deps.metadata, tokens: server.deps.tokens, close: () => server.close() };
});

const { REDIS_URL, DATABASE_URL } = readEnv();

/** Two gateway nodes on one Redis (a prefix of their own) and one PostgreSQL database. */
async function twoGateways(sharded: boolean, publishFrom: "emitter" | "gateway"): Promise<EventBusHarness> {
  const redis: RedisConfig = { url: REDIS_URL!, sharded, prefix: uniqueRedisPrefix(`eventbus-${sharded ? "sharded" : "pubsub"}`) };
  const nodes: ParleyServer[] = [];
  const closers: Array<() => unknown> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
    await deleteKeysUnder(redis.url, redis.prefix);
  };
  try {
    for (let i = 0; i < 2; i++) {
      const node = await startServer({ role: "gateway", database: { kind: "postgres", url: DATABASE_URL!, poolSize: 4 }, redis, workerId: 100 + i });
      nodes.push(node);
      closers.push(() => node.close());
    }
    let bus = nodes[1]!.deps.events;
    if (publishFrom === "emitter") {
      const remote = createRemoteRoomTarget(redis, silentLog);
      closers.push(() => remote.close());
      bus = new RoomEventBus(remote.target, silentLog, remote.sinks);
    }
    return { gateways: nodes.map((n) => n.url), bus, metadata: nodes[0]!.deps.metadata, tokens: nodes[0]!.deps.tokens, close };
  } catch (err) {
    await close();
    throw err;
  }
}

if (REDIS_URL && DATABASE_URL) {
  describeEventBusContract("two gateway nodes over Redis pub/sub, published by an API process's emitter", () => twoGateways(false, "emitter"));
  describeEventBusContract("two gateway nodes over Redis pub/sub, published by the second gateway", () => twoGateways(false, "gateway"));
  describeEventBusContract("two gateway nodes over Redis sharded pub/sub, published by a socket-less API process", () => twoGateways(true, "emitter"));
} else {
  const missing = [!REDIS_URL && "REDIS_URL", !DATABASE_URL && "DATABASE_URL"].filter(Boolean).join(" and ");
  console.info(`[EventBus] ${missing} not set: the multi-node runs of this contract (gateways sharing Redis and PostgreSQL) are skipped.`);
  describe.skip("EventBus on gateway nodes sharing Redis", () => test(`needs ${missing}`, () => {}));
}
