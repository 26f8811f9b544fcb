// Messages over the gateway: delivery to every member socket, ack shape, idempotency, rate limit.
import { afterEach, describe, expect, test } from "vitest";
import { apiClient, registerUser, type ApiClient } from "../support/api";
import { emitWithAck, payloadsOf, recordEvents, settle, waitFor } from "../support/gateway";
import { ownerAndMember, socketPool } from "../support/scenario";
import { serverForThisFile, type ParleyServer } from "../support/server";

let server: ParleyServer;
let api: ApiClient;
const sockets = socketPool(() => server.url);

serverForThisFile((started) => {
  server = started;
  api = apiClient(started.url);
});
afterEach(() => sockets.closeAll());

const isoUtc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

async function postMessage(token: string, channelId: string, body: object) {
  return api.post(`/api/v1/channels/${channelId}/messages`, body, token);
}

describe("message:create delivery", () => {
  test("message:create takes the broadcast fast path: no engine.io packet is made per recipient", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const [socketA, socketB] = await Promise.all([sockets.connect(a), sockets.connect(b)]);
    const seen = [recordEvents(socketA, ["message:create"]), recordEvents(socketB, ["message:create"])];
    const enginePackets: string[] = [];
    for (const serverSocket of server.io!.of("/").sockets.values()) {
      serverSocket.conn.on("packetCreate", (packet: { data?: unknown }) => {
        if (typeof packet.data === "string" && packet.data.includes('"message:create"')) enginePackets.push(packet.data);
      });
    }
    expect((await postMessage(a.token, channelId, { content: "straight to the sockets" })).status).toBe(201);
    await waitFor(() => seen.every((events) => events.length === 1), 5_000, "the message on both sockets");
    expect(enginePackets).toEqual([]);
  });

  test("a REST message and a gateway message reach both members, the sender included, in order and exactly once", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const [socketA, socketB] = await Promise.all([sockets.connect(a), sockets.connect(b)]);
    const seenByA = recordEvents(socketA, ["message:create"]);
    const seenByB = recordEvents(socketB, ["message:create"]);

    const viaRest = await postMessage(a.token, channelId, { content: "first, over REST" });
    expect(viaRest.status).toBe(201);
    const viaGateway = await emitWithAck(socketB, "message:send", { channelId, content: "second, over the gateway" });
    expect(viaGateway.ok).toBe(true);

    await waitFor(() => seenByA.length >= 2 && seenByB.length >= 2, 5_000, "both messages on both sockets");
    await settle(400);
    const expectedIds = [viaRest.body.id, viaGateway.message.id];
    expect(payloadsOf(seenByA, "message:create").map((m) => m.id)).toEqual(expectedIds);
    expect(payloadsOf(seenByB, "message:create").map((m) => m.id)).toEqual(expectedIds);
  });

  test("the ack is {ok: true, message} with the nonce echoed, and message:create carries the same full message", async () => {
    const { a, b, server: srv, channelId } = await ownerAndMember(api);
    const [socketA, socketB] = await Promise.all([sockets.connect(a), sockets.connect(b)]);
    const seenByA = recordEvents(socketA, ["message:create"]);

    const ack = await emitWithAck(socketB, "message:send", { channelId, content: "  hello there  ", nonce: "nonce-Shape_1" });

    expect(ack).toEqual({
      ok: true,
      message: {
        id: expect.stringMatching(/^[0-9]{1,20}$/),
        channelId,
        serverId: srv.id,
        author: { id: b.user.id, username: b.user.username, displayName: b.user.displayName },
        content: "hello there",
        nonce: "nonce-Shape_1",
        createdAt: expect.stringMatching(isoUtc),
      },
    });
    expect(Math.abs(Date.parse(ack.message.createdAt) - Date.now())).toBeLessThan(60_000);
    const [created] = await waitFor(() => seenByA.length > 0 && payloadsOf(seenByA, "message:create"), 5_000, "message:create");
    expect(created).toEqual(ack.message);
  });

  test("a member of no shared server receives nothing", async () => {
    const { a, channelId } = await ownerAndMember(api);
    const outsider = await registerUser(api);
    const outsiderSocket = await sockets.connect(outsider);
    const seenByOutsider = recordEvents(outsiderSocket, ["message:create"]);
    const ownSocket = await sockets.connect(a);
    const seenByA = recordEvents(ownSocket, ["message:create"]);

    await postMessage(a.token, channelId, { content: "members only" });
    await emitWithAck(ownSocket, "message:send", { channelId, content: "still members only" });

    await waitFor(() => seenByA.length >= 2, 5_000, "the sender's own copies");
    await settle(300);
    expect(seenByOutsider).toEqual([]);
  });
});

describe("idempotency by nonce", () => {
  test("a repeated nonce over the gateway returns the original and delivers nothing new", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const [socketA, socketB] = await Promise.all([sockets.connect(a), sockets.connect(b)]);
    const seenByA = recordEvents(socketA, ["message:create"]);

    const first = await emitWithAck(socketB, "message:send", { channelId, content: "only once", nonce: "retry-me" });
    await waitFor(() => seenByA.length === 1, 5_000, "the first delivery");
    const again = await emitWithAck(socketB, "message:send", { channelId, content: "only once", nonce: "retry-me" });

    expect(again).toEqual(first);
    await settle(400);
    expect(seenByA).toHaveLength(1);
    const history = await api.get(`/api/v1/channels/${channelId}/messages`, a.token);
    expect(history.body.map((m: { id: string }) => m.id)).toEqual([first.message.id]);
  });

  test("a REST send and a gateway retry with the same nonce make one message, in either order", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const [socketA, socketB] = await Promise.all([sockets.connect(a), sockets.connect(b)]);
    const seenByA = recordEvents(socketA, ["message:create"]);

    const rest = await postMessage(b.token, channelId, { content: "rest first", nonce: "cross-1" });
    expect(rest.status).toBe(201);
    const gatewayRetry = await emitWithAck(socketB, "message:send", { channelId, content: "rest first", nonce: "cross-1" });
    expect(gatewayRetry).toEqual({ ok: true, message: rest.body });

    const gateway = await emitWithAck(socketB, "message:send", { channelId, content: "gateway first", nonce: "cross-2" });
    const restRetry = await postMessage(b.token, channelId, { content: "gateway first", nonce: "cross-2" });
    expect(restRetry.status).toBe(200);
    expect(restRetry.body).toEqual(gateway.message);

    await waitFor(() => seenByA.length >= 2, 5_000, "two deliveries");
    await settle(400);
    expect(payloadsOf(seenByA, "message:create").map((m) => m.nonce)).toEqual(["cross-1", "cross-2"]);
  });

  test("concurrent sends with one nonce over REST and two sockets make one message and one delivery", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const seenByA = recordEvents(await sockets.connect(a), ["message:create"]);
    const [tab1, tab2] = await Promise.all([sockets.connect(b), sockets.connect(b)]);
    const body = { channelId, content: "sent thrice at once", nonce: "racing" };

    const [rest, ack1, ack2] = await Promise.all([
      postMessage(b.token, channelId, { content: body.content, nonce: body.nonce }),
      emitWithAck(tab1, "message:send", body),
      emitWithAck(tab2, "message:send", body),
    ]);

    expect([rest.status === 201 || rest.status === 200, ack1.ok, ack2.ok]).toEqual([true, true, true]);
    expect(new Set([rest.body.id, ack1.message.id, ack2.message.id]).size).toBe(1);
    await waitFor(() => seenByA.length > 0, 5_000, "the delivery");
    await settle(400);
    expect(seenByA).toHaveLength(1);
    const history = await api.get(`/api/v1/channels/${channelId}/messages`, a.token);
    expect(history.body).toHaveLength(1);
  });

  test("the same nonce from another user is a different message", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const socketA = await sockets.connect(a);
    const socketB = await sockets.connect(b);
    const fromA = await emitWithAck(socketA, "message:send", { channelId, content: "from A", nonce: "shared" });
    const fromB = await emitWithAck(socketB, "message:send", { channelId, content: "from B", nonce: "shared" });
    expect(fromA.ok && fromB.ok).toBe(true);
    expect(fromB.message.id).not.toBe(fromA.message.id);
    expect(fromB.message.author.id).toBe(b.user.id);
  });
});

describe("rate limit", () => {
  test("the sixth send within a second, counted over REST and gateway together, is refused", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const [socketA, socketB] = await Promise.all([sockets.connect(a), sockets.connect(b)]);
    const seenByB = recordEvents(socketB, ["message:create"]);

    const started = Date.now();
    const rest = [];
    for (let i = 1; i <= 3; i++) rest.push(await postMessage(a.token, channelId, { content: `rest ${i}`, nonce: `rl-${i}` }));
    const acks = [];
    for (let i = 4; i <= 5; i++) acks.push(await emitWithAck(socketA, "message:send", { channelId, content: `gateway ${i}` }));
    const sixth = await emitWithAck(socketA, "message:send", { channelId, content: "one too many" });
    const seventh = await postMessage(a.token, channelId, { content: "still too many" });
    // The refusals only prove something if all seven sends fell inside one second.
    expect(Date.now() - started).toBeLessThan(1_000);

    expect(rest.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(acks.map((r) => r.ok)).toEqual([true, true]);
    expect(sixth).toEqual({ ok: false, error: { code: "RATE_LIMITED", message: expect.any(String) } });
    expect(seventh.status).toBe(429);
    expect(seventh.body.error.code).toBe("RATE_LIMITED");
    expect(Number(seventh.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(Number(seventh.headers.get("retry-after")))).toBe(true);

    // A retry of an acknowledged send is not a new message: it still gets the original.
    const retry = await emitWithAck(socketA, "message:send", { channelId, content: "rest 1", nonce: "rl-1" });
    expect(retry).toEqual({ ok: true, message: rest[0]!.body });

    await waitFor(() => seenByB.length >= 5, 5_000, "the five accepted messages");
    await settle(300);
    expect(seenByB).toHaveLength(5);

    await settle(1_100);
    expect((await emitWithAck(socketA, "message:send", { channelId, content: "after the window" })).ok).toBe(true);
  });
});
