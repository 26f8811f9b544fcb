// REST and gateway with history in real Cassandra: a message sent either way is delivered live
// and is in history the moment it is acknowledged (read-after-write); nonces stay idempotent.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { Message } from "../../lib/domain/types";
import { apiClient, type ApiClient } from "../support/api";
import { cassandraSettings } from "../support/cassandra";
import { emitWithAck, payloadsOf, recordEvents, settle, waitFor } from "../support/gateway";
import { ownerAndMember, socketPool } from "../support/scenario";
import { startServer, type ParleyServer } from "../support/server";
import { expectMessage } from "../support/shapes";

const cassandra = cassandraSettings("REST and gateway with the Cassandra store");

describe.runIf(cassandra)("REST and gateway with the Cassandra store", () => {
  let server: ParleyServer;
  let api: ApiClient;
  const sockets = socketPool(() => server.url);

  beforeAll(async () => {
    server = await startServer({ messages: { kind: "cassandra", ...cassandra! } });
    api = apiClient(server.url);
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await server?.close();
  });

  const history = async (token: string, channelId: string, query = "") => {
    const res = await api.get<Message[]>(`/api/v1/channels/${channelId}/messages${query}`, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  test("the server really keeps history in Cassandra", () => {
    expect(server.config.messages).toMatchObject({ kind: "cassandra", contactPoints: cassandra!.contactPoints });
  });

  test("a message sent over REST and one over the gateway reach both members live and are in history as soon as acknowledged", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const [socketA, socketB] = await Promise.all([sockets.connect(a), sockets.connect(b)]);
    const seenByA = recordEvents(socketA, ["message:create"]);
    const seenByB = recordEvents(socketB, ["message:create"]);

    const viaRest = await api.post<Message>(`/api/v1/channels/${channelId}/messages`, { content: "over REST, into Cassandra" }, a.token);
    expect(viaRest.status).toBe(201);
    expectMessage(viaRest.body);
    // Read-after-write, for someone else, with no pause.
    expect((await history(b.token, channelId, "?limit=1"))[0]).toEqual(viaRest.body);

    const viaGateway = await emitWithAck(socketB, "message:send", { channelId, content: "over the gateway", nonce: "gw-1" });
    expect(viaGateway.ok).toBe(true);
    expect((await history(a.token, channelId, "?limit=1"))[0]).toEqual(viaGateway.message);

    await waitFor(() => seenByA.length >= 2 && seenByB.length >= 2, 5_000, "both messages on both sockets");
    await settle(300);
    const expected = [viaRest.body.id, viaGateway.message.id];
    expect(payloadsOf(seenByA, "message:create").map((m) => m.id)).toEqual(expected);
    expect(payloadsOf(seenByB, "message:create").map((m) => m.id)).toEqual(expected);
    expect((await history(a.token, channelId)).map((m) => m.id)).toEqual([...expected].reverse());
    expect((await history(a.token, channelId, `?after=${viaRest.body.id}`)).map((m) => m.id)).toEqual([viaGateway.message.id]);
    expect((await history(a.token, channelId, `?before=${viaGateway.message.id}`)).map((m) => m.id)).toEqual([viaRest.body.id]);
  });

  test("a retried nonce returns the original, stores nothing new and delivers nothing new", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const seenByA = recordEvents(await sockets.connect(a), ["message:create"]);
    const first = await api.post<Message>(`/api/v1/channels/${channelId}/messages`, { content: "once", nonce: "retry-1" }, b.token);
    expect(first.status).toBe(201);
    const again = await api.post<Message>(`/api/v1/channels/${channelId}/messages`, { content: "once", nonce: "retry-1" }, b.token);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    await waitFor(() => seenByA.length >= 1, 5_000, "the one delivery");
    await settle(300);
    expect(seenByA).toHaveLength(1);
    expect((await history(a.token, channelId)).map((m) => m.id)).toEqual([first.body.id]);
  });

  test("messages paged back five at a time come newest first, with no gap and no repeat", async () => {
    const { a, channelId } = await ownerAndMember(api);
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await api.post<Message>(`/api/v1/channels/${channelId}/messages`, { content: `n${i}` }, a.token);
      expect(res.status).toBe(201);
      sent.push(res.body.id);
      await settle(210); // within the budget of 5 messages per second
    }
    const newestFirst = [...sent].reverse();
    const pages: string[][] = [];
    for (let cursor = ""; pages.length < 5; ) {
      const page = (await history(a.token, channelId, `?limit=5${cursor}`)).map((m) => m.id);
      pages.push(page);
      if (page.length === 0) break;
      cursor = `&before=${page.at(-1)}`;
    }
    expect(pages).toEqual([newestFirst.slice(0, 5), newestFirst.slice(5, 10), newestFirst.slice(10), []]);
  });

  test("/api/health checks Cassandra", async () => {
    const res = await api.get(`/api/health`);
    expect(res.status).toBe(200);
    expect(res.body.checks.messages).toBe("ok");
  });
});
