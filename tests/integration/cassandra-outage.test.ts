// Cassandra stopped mid-test, on a node of this file's own (the shared one keeps serving the
// other files): sends and reads fail fast with UNAVAILABLE, nothing half-written turns up later,
// and once Cassandra is back the same Parley process serves again, with no restart. Then the
// harder case, a node that hangs (SIGSTOP) instead of refusing connections: calls give up at
// the request timeout until the circuit opens, and then answer at once.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Message } from "../../lib/domain/types";
import { startCassandra, stopCassandra, type CassandraNode } from "../../scripts/cassandra.mjs";
import { apiClient, type ApiClient } from "../support/api";
import { cassandraSettings } from "../support/cassandra";
import { emitWithAck, payloadsOf, recordEvents, settle, waitFor } from "../support/gateway";
import { ownerAndMember, socketPool, type SharedServer } from "../support/scenario";
import { startServer, type ParleyServer } from "../support/server";
import { expectError } from "../support/shapes";

// The Cassandra tier is on when a shared node is configured; this file starts its own anyway.
const tier = cassandraSettings("Cassandra stopped mid-test");
const REQUEST_TIMEOUT_MS = 3_000;
/** "Fast": well under the request timeout, so nothing waited for a dead node. */
const FAST_MS = 2_000;

describe.runIf(tier)("Cassandra stopped mid-test", () => {
  let node: CassandraNode;
  let server: ParleyServer;
  let api: ApiClient;
  let people: SharedServer;
  const sockets = socketPool(() => server.url);

  beforeAll(async () => {
    node = await startCassandra({ quiet: true });
    server = await startServer({ messages: settingsFor(REQUEST_TIMEOUT_MS) });
    api = apiClient(server.url);
    people = await ownerAndMember(api);
  }, 180_000);
  afterAll(async () => {
    sockets.closeAll();
    await server?.close();
    if (node) await stopCassandra(node);
  }, 60_000);

  const settingsFor = (requestTimeoutMs: number) => ({
    kind: "cassandra" as const,
    contactPoints: [node.contactPoint],
    localDataCenter: "datacenter1",
    keyspace: "parley_outage",
    replication: { class: "SimpleStrategy" as const, replicationFactor: 1 },
    consistency: "LOCAL_QUORUM" as const,
    requestTimeoutMs,
  });
  const send = (body: object) => api.post<Message>(`/api/v1/channels/${people.channelId}/messages`, body, people.a.token);
  const timed = async <T>(call: () => Promise<T>): Promise<[T, number]> => {
    const started = Date.now();
    const result = await call();
    return [result, Date.now() - started];
  };

  test("fail fast while it is down, recover by itself, and never duplicate", { timeout: 240_000 }, async () => {
    const { channelId, b } = people;
    const watcher = recordEvents(await sockets.connect(b), ["message:create"]);
    const gatewayOfA = await sockets.connect(people.a);

    // Before: an acknowledged message, which must survive the outage.
    const before = await send({ content: "before the outage", nonce: "n-before" });
    expect(before.status).toBe(201);

    await stopCassandra(node, { keep: true });

    // Down: every send and read answers 503 UNAVAILABLE quickly, whatever the circuit's state.
    const outage: Array<[string, number]> = [];
    for (const [i, nonce] of ["n1", "n2", "n3", "n4", "n5", "n6", "n7"].entries()) {
      const [res, ms] = await timed(() => send({ content: `during the outage ${i}`, nonce }));
      expectError(res, 503, "UNAVAILABLE");
      outage.push([nonce, ms]);
      await settle(250); // stay within 5 messages per second: a 429 must not hide the 503
    }
    const [noNonce, noNonceMs] = await timed(() => send({ content: "lost: sent without a nonce during the outage" }));
    expectError(noNonce, 503, "UNAVAILABLE");
    await settle(250);
    const [ack, ackMs] = await timed(() => emitWithAck(gatewayOfA, "message:send", { channelId, content: "over the gateway", nonce: "n-gw" }));
    expect(ack).toEqual({ ok: false, error: { code: "UNAVAILABLE", message: expect.any(String) } });
    const [read, readMs] = await timed(() => api.get(`/api/v1/channels/${channelId}/messages`, b.token));
    expectError(read, 503, "UNAVAILABLE");
    const health = await api.get("/api/health");
    expect(health.status).toBe(503);
    expect(health.body.checks.messages).toMatch(/^failing: /);
    for (const ms of [...outage.map(([, ms]) => ms), noNonceMs, ackMs, readMs]) expect(ms).toBeLessThan(FAST_MS);
    console.info(`[outage] 503 times (ms): ${[...outage.map(([, ms]) => ms), noNonceMs, ackMs, readMs].join(", ")}`);

    // Back: the same node, data and port; Parley is not restarted. Retry n1 until it goes through.
    node = await startCassandra({ runDir: node.runDir, nativePort: node.nativePort, storagePort: node.storagePort, quiet: true });
    const backAt = Date.now();
    let retried = await send({ content: "during the outage 0", nonce: "n1" });
    for (let attempt = 0; retried.status === 503 && attempt < 120; attempt++) {
      await settle(500);
      retried = await send({ content: "during the outage 0", nonce: "n1" });
    }
    expect(retried.status).toBe(201);
    console.info(`[outage] Cassandra restarted in ${node.startMs} ms; sends succeeded ${Date.now() - backAt} ms later`);

    // The client retries the rest with their nonces: each becomes exactly one message.
    const delivered: Message[] = [retried.body];
    for (const [i, nonce] of ["n2", "n3", "n4", "n5", "n6", "n7"].entries()) {
      await settle(250);
      const res = await send({ content: `during the outage ${i + 1}`, nonce });
      expect(res.status).toBe(201);
      delivered.push(res.body);
    }
    const gatewayRetry = await emitWithAck(gatewayOfA, "message:send", { channelId, content: "over the gateway", nonce: "n-gw" });
    expect(gatewayRetry.ok).toBe(true);
    delivered.push(gatewayRetry.message);
    await settle(250);
    const twice = await send({ content: "during the outage 0", nonce: "n1" });
    expect(twice.status).toBe(200);
    expect(twice.body).toEqual(retried.body);

    // History: the message from before, then each retried one exactly once; nothing else.
    const page = await api.get<Message[]>(`/api/v1/channels/${channelId}/messages?limit=100`, b.token);
    expect(page.status).toBe(200);
    expect(page.body.map((m) => m.id)).toEqual([before.body, ...delivered].map((m) => m.id).reverse());
    expect(page.body.map((m) => m.content)).not.toContain("lost: sent without a nonce during the outage");
    expect(new Set(page.body.map((m) => m.nonce)).size).toBe(page.body.length);

    // Live delivery resumed too: the watcher saw the first message and every retried one, once.
    await waitFor(() => watcher.length >= 1 + delivered.length, 5_000, "deliveries after recovery");
    await settle(300);
    expect(payloadsOf(watcher, "message:create").map((m) => m.id)).toEqual([before.body, ...delivered].map((m) => m.id));

    expect((await api.get("/api/health")).status).toBe(200);
  });

  test("a node that hangs: calls give up at the request timeout, then the open circuit answers at once", { timeout: 120_000 }, async () => {
    const timeoutMs = 1_000;
    const quick = await startServer({ messages: settingsFor(timeoutMs) });
    const quickApi = apiClient(quick.url);
    const { a, b, channelId } = await ownerAndMember(quickApi);
    const post = (body: object) => quickApi.post<Message>(`/api/v1/channels/${channelId}/messages`, body, a.token);
    try {
      expect((await post({ content: "warm-up" })).status).toBe(201);
      const times: number[] = [];
      process.kill(node.pid, "SIGSTOP");
      try {
        // The first send gets stuck in its existence check; once it has been answered 503 its
        // write must never happen, even though the check completes when the node resumes.
        const [lost, lostMs] = await timed(() => post({ content: "lost: its caller was told 503" }));
        expectError(lost, 503, "UNAVAILABLE");
        times.push(lostMs);
        for (const nonce of ["h1", "h2", "h3", "h4", "h5", "h6", "h7"]) {
          await settle(250);
          const [res, ms] = await timed(() => post({ content: `hung ${nonce}`, nonce }));
          expectError(res, 503, "UNAVAILABLE");
          times.push(ms);
        }
      } finally {
        process.kill(node.pid, "SIGCONT");
      }
      console.info(`[hang] 503 times (ms): ${times.join(", ")}`);
      // Until the circuit opens (5 failures) each call waits out the timeout, and no longer...
      for (const ms of times.slice(0, 5)) expect(ms).toBeGreaterThanOrEqual(timeoutMs - 50);
      for (const ms of times) expect(ms).toBeLessThan(timeoutMs + 1_500);
      // ...then nothing waits for the dead node (on a loaded CI machine a request still takes tens of ms).
      for (const ms of times.slice(5)) expect(ms).toBeLessThan(timeoutMs / 2);

      let retried = await post({ content: "hung h1", nonce: "h1" });
      for (let attempt = 0; retried.status === 503 && attempt < 60; attempt++) {
        await settle(500);
        retried = await post({ content: "hung h1", nonce: "h1" });
      }
      expect(retried.status).toBe(201);
      for (const nonce of ["h2", "h3", "h4", "h5", "h6", "h7"]) {
        await settle(250);
        expect([200, 201]).toContain((await post({ content: `hung ${nonce}`, nonce })).status);
      }
      await settle(1_000); // time for any write still in flight to land, if one wrongly could
      const page = await quickApi.get<Message[]>(`/api/v1/channels/${channelId}/messages?limit=100`, b.token);
      expect(page.body.map((m) => m.content)).toEqual(["warm-up", ...["h1", "h2", "h3", "h4", "h5", "h6", "h7"].map((n) => `hung ${n}`)].reverse());
    } finally {
      process.kill(node.pid, "SIGCONT");
      await quick.close();
    }
  });
});
