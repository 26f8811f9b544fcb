// Read state: PUT /channels/{id}/read-state and GET /users/@me/read-states, the marker only
// moving forward, `read-state:update` reaching the reader's other connections, and every error.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { Message } from "../../lib/domain/types";
import { apiClient, createServerAs, registerUser, uniqueName, type ApiClient, type TestUser } from "../support/api";
import { connectClient, emitWithAck, payloadsOf, recordEvents, settle, waitFor } from "../support/gateway";
import { ownerAndMember, socketPool, type SharedServer } from "../support/scenario";
import { serverForThisFile, type ParleyServer } from "../support/server";

let server: ParleyServer;
let api: ApiClient;
const sockets = socketPool(() => server.url);

serverForThisFile((started) => {
  server = started;
  api = apiClient(started.url);
});
afterEach(() => sockets.closeAll());

async function send(user: TestUser, channelId: string, content: string): Promise<Message> {
  const res = await api.post<Message>(`/api/v1/channels/${channelId}/messages`, { content }, user.token);
  expect(res.status).toBe(201);
  return res.body;
}

const markRead = (user: TestUser | undefined, channelId: string, body: unknown) =>
  api.request("PUT", `/api/v1/channels/${channelId}/read-state`, { token: user?.token, body });

async function readStates(user: TestUser) {
  const res = await api.get(`/api/v1/users/@me/read-states`, user.token);
  expect(res.status).toBe(200);
  return res.body as Array<{ channelId: string; lastReadId: string | null; lastMessageId: string | null }>;
}

describe("marking a channel read", () => {
  let world: SharedServer;
  let first: Message;
  let second: Message;

  beforeAll(async () => {
    world = await ownerAndMember(api);
    first = await send(world.a, world.channelId, "first");
    second = await send(world.a, world.channelId, "second");
  });

  test("every channel of my servers is listed, unread ones with a newer message than my marker", async () => {
    const states = await readStates(world.b);
    expect(states).toEqual([{ channelId: world.channelId, lastReadId: null, lastMessageId: second.id }]);
  });

  test("PUT stores the marker and answers it; GET lists it", async () => {
    const res = await markRead(world.b, world.channelId, { lastReadId: first.id });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ channelId: world.channelId, lastReadId: first.id });
    expect(await readStates(world.b)).toEqual([{ channelId: world.channelId, lastReadId: first.id, lastMessageId: second.id }]);
  });

  test("the marker never moves backwards: an older id is answered with the marker as it stands", async () => {
    expect((await markRead(world.b, world.channelId, { lastReadId: second.id })).body.lastReadId).toBe(second.id);
    const older = await markRead(world.b, world.channelId, { lastReadId: first.id });
    expect(older.status).toBe(200);
    expect(older.body).toEqual({ channelId: world.channelId, lastReadId: second.id });
    expect((await readStates(world.b))[0]?.lastReadId).toBe(second.id);
  });

  test("markers are per user: A's marker is untouched by B's", async () => {
    expect(await readStates(world.a)).toEqual([{ channelId: world.channelId, lastReadId: null, lastMessageId: second.id }]);
  });

  test("a channel without messages has a null lastMessageId; a left server's channels are no longer listed", async () => {
    const outsider = await registerUser(api, uniqueName("solo"));
    const own = await createServerAs(api, outsider, "Quiet");
    expect(await readStates(outsider)).toEqual([{ channelId: own.channels[0]!.id, lastReadId: null, lastMessageId: null }]);

    const { a, b, channelId, server: shared } = await ownerAndMember(api);
    const message = await send(a, channelId, "hello");
    expect((await markRead(b, channelId, { lastReadId: message.id })).status).toBe(200);
    expect((await api.delete(`/api/v1/servers/${shared.id}/members/@me`, b.token)).status).toBe(204);
    expect(await readStates(b)).toEqual([]);
  });
});

describe("live updates to my other connections", () => {
  test("a real move reaches every connection of mine (not other people's) as read-state:update, once", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const message = await send(a, channelId, "news");
    const myOtherTab = recordEvents(await sockets.connect(b), ["read-state:update"]);
    const someoneElse = recordEvents(await sockets.connect(a), ["read-state:update"]);

    expect((await markRead(b, channelId, { lastReadId: message.id })).status).toBe(200);
    await waitFor(() => myOtherTab.length > 0, 5_000, "read-state:update");
    // Repeating the same marker is not a change: nothing more is sent.
    expect((await markRead(b, channelId, { lastReadId: message.id })).status).toBe(200);
    await settle(300);
    expect(payloadsOf(myOtherTab, "read-state:update")).toEqual([{ channelId, lastReadId: message.id }]);
    expect(someoneElse).toEqual([]);
  });

  test("ready carries the status I chose before, so a reloaded client shows it", async () => {
    const { a } = await ownerAndMember(api);
    const first = await sockets.connect(a);
    expect(await emitWithAck(first, "presence:set", { status: "dnd" })).toEqual({ ok: true });
    const { socket, ready } = await connectClient(server.url, a.token);
    socket.close();
    expect(ready.status).toBe("dnd");
  });
});

describe("ids with leading zeros name the same channel and message", () => {
  test("the answer, the stored marker and read-state:update carry the ids as stored (found by the fuzz tier)", async () => {
    const { a, b, channelId } = await ownerAndMember(api);
    const message = await send(a, channelId, "zeros");
    const myOtherTab = recordEvents(await sockets.connect(b), ["read-state:update"]);
    const res = await markRead(b, `00${channelId}`, { lastReadId: `0${message.id}` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ channelId, lastReadId: message.id });
    expect(await readStates(b)).toEqual([{ channelId, lastReadId: message.id, lastMessageId: message.id }]);
    await waitFor(() => myOtherTab.length > 0, 5_000, "read-state:update");
    expect(payloadsOf(myOtherTab, "read-state:update")).toEqual([{ channelId, lastReadId: message.id }]);
  });
});

describe("errors", () => {
  let world: SharedServer;
  let message: Message;
  let otherChannelMessage: Message;

  beforeAll(async () => {
    world = await ownerAndMember(api);
    message = await send(world.a, world.channelId, "hello");
    const elsewhere = await ownerAndMember(api);
    otherChannelMessage = await send(elsewhere.a, elsewhere.channelId, "elsewhere");
  });

  test.each([
    ["a malformed channel id", "abc", () => ({ lastReadId: message.id })],
    ["a channel id past 64 bits", "9223372036854775808", () => ({ lastReadId: message.id })],
    ["no lastReadId", null, () => ({})],
    ["a malformed lastReadId", null, () => ({ lastReadId: "12x" })],
    ["a numeric lastReadId", null, () => ({ lastReadId: 12 })],
  ])("400 VALIDATION_FAILED for %s", async (_what, channelId, body) => {
    const res = await markRead(world.b, channelId ?? world.channelId, body());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
  });

  test("400 for a body that is not a JSON object", async () => {
    const res = await api.request("PUT", `/api/v1/channels/${world.channelId}/read-state`, { token: world.b.token, rawBody: "[1]" });
    expect(res.status).toBe(400);
  });

  test("401 UNAUTHORIZED without a token, or with a bad one, on both routes", async () => {
    for (const token of [undefined, "not-a-jwt"]) {
      const put = await api.request("PUT", `/api/v1/channels/${world.channelId}/read-state`, { token, body: { lastReadId: message.id } });
      const get = await api.request("GET", "/api/v1/users/@me/read-states", { token });
      expect([put.status, get.status]).toEqual([401, 401]);
      expect(put.body.error.code).toBe("UNAUTHORIZED");
    }
  });

  test("403 FORBIDDEN for someone who is not a member of the channel's server", async () => {
    const outsider = await registerUser(api, uniqueName("out"));
    const res = await markRead(outsider, world.channelId, { lastReadId: message.id });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
    expect(await readStates(outsider)).toEqual([]);
  });

  test("an outsider gets the same 403 for a message id that exists and one that does not: nothing to probe", async () => {
    const outsider = await registerUser(api, uniqueName("out"));
    const real = await markRead(outsider, world.channelId, { lastReadId: message.id });
    const made_up = await markRead(outsider, world.channelId, { lastReadId: server.deps.ids.next() });
    expect([real.status, real.body]).toEqual([made_up.status, made_up.body]);
    expect(made_up.status).toBe(403);
  });

  test.each([
    ["an unknown channel", () => [server.deps.ids.next(), message.id]],
    ["an unknown message", () => [world.channelId, server.deps.ids.next()]],
    ["a message of another channel", () => [world.channelId, otherChannelMessage.id]],
  ])("404 NOT_FOUND for %s", async (_what, pick) => {
    const [channelId, lastReadId] = pick() as [string, string];
    const res = await markRead(world.b, channelId, { lastReadId });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });

  test("404 for another user's read states: only @me is readable", async () => {
    const res = await api.get(`/api/v1/users/${world.a.user.id}/read-states`, world.b.token);
    expect(res.status).toBe(404);
  });
});
