// Live updates: ready, server:join, channel:create, member:add/remove and typing, without reconnecting.
import { afterEach, expect, test } from "vitest";
import { apiClient, createServerAs, registerUser, type ApiClient } from "../support/api";
import { connectClient, emitWithAck, payloadsOf, recordEvents, settle, waitFor } from "../support/gateway";
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

const LIVE_EVENTS = ["message:create", "server:join", "channel:create", "member:add", "member:remove", "typing:start"] as const;

async function invite(serverId: string, token: string): Promise<string> {
  const res = await api.post(`/api/v1/servers/${serverId}/invites`, {}, token);
  expect(res.status).toBe(201);
  return res.body.code;
}

test("ready carries the user and every server they belong to, each with its channels", async () => {
  const { a, b, server: shared } = await ownerAndMember(api);
  const own = await createServerAs(api, b, "B's own");
  const { socket, ready } = await connectClient(server.url, b.token);
  socket.close();

  expect(ready.user).toEqual(b.user);
  const byId = new Map(ready.servers.map((s) => [s.id, s]));
  expect([...byId.keys()].sort()).toEqual([shared.id, own.id].sort());
  expect(byId.get(shared.id)).toEqual({
    id: shared.id,
    name: shared.name,
    ownerId: a.user.id,
    channels: [{ id: shared.channels[0]!.id, serverId: shared.id, name: "general", type: "text", position: expect.any(Number) }],
  });
  expect(byId.get(own.id)?.ownerId).toBe(b.user.id);
});

test("creating a server sends server:join to every connection of the creator, which then get its messages", async () => {
  const alice = await registerUser(api);
  const tabs = await Promise.all([sockets.connect(alice), sockets.connect(alice)]);
  const seen = tabs.map((tab) => recordEvents(tab, [...LIVE_EVENTS]));

  const created = await createServerAs(api, alice, "Fresh");
  for (const events of seen) {
    const [joined] = await waitFor(() => payloadsOf(events, "server:join").length > 0 && payloadsOf(events, "server:join"), 5_000, "server:join");
    expect(joined).toEqual(created);
  }

  const sent = await api.post(`/api/v1/channels/${created.channels[0]!.id}/messages`, { content: "first words" }, alice.token);
  for (const events of seen) {
    await waitFor(() => payloadsOf(events, "message:create").some((m) => m.id === sent.body.id), 5_000, "the message on each tab");
  }
});

test("joining by invite sends server:join to every connection of the joiner, which then get the server's messages", async () => {
  const owner = await registerUser(api);
  const joiner = await registerUser(api);
  const target = await createServerAs(api, owner, "Club");
  const tabs = await Promise.all([sockets.connect(joiner), sockets.connect(joiner)]);
  const seen = tabs.map((tab) => recordEvents(tab, [...LIVE_EVENTS]));
  const ownerSeen = recordEvents(await sockets.connect(owner), [...LIVE_EVENTS]);

  const joined = await api.post(`/api/v1/invites/${await invite(target.id, owner.token)}`, {}, joiner.token);
  expect(joined.status).toBe(200);
  for (const events of seen) {
    await waitFor(() => payloadsOf(events, "server:join").some((s) => s.id === target.id), 5_000, "server:join on each tab");
    expect(payloadsOf(events, "server:join")).toEqual([joined.body]);
  }

  const [memberAdded] = await waitFor(() => payloadsOf(ownerSeen, "member:add").length > 0 && payloadsOf(ownerSeen, "member:add"), 5_000, "member:add");
  expect(memberAdded).toEqual({
    serverId: target.id,
    member: { user: joiner.user, joinedAt: expect.any(String), status: "online" },
  });
  expect(new Date(memberAdded.member.joinedAt).toISOString()).toBe(memberAdded.member.joinedAt);

  const sent = await emitWithAck(await sockets.connect(owner), "message:send", { channelId: target.channels[0]!.id, content: "welcome" });
  for (const events of seen) {
    await waitFor(() => payloadsOf(events, "message:create").some((m) => m.id === sent.message.id), 5_000, "the welcome on each tab");
  }

  // Joining again is not an error, and announces nothing new.
  const again = await api.post(`/api/v1/invites/${await invite(target.id, owner.token)}`, {}, joiner.token);
  expect(again.status).toBe(200);
  await settle(300);
  expect(payloadsOf(ownerSeen, "member:add")).toHaveLength(1);
  for (const events of seen) expect(payloadsOf(events, "server:join")).toHaveLength(1);
});

test("channel:create reaches every member, and the new channel's messages arrive without reconnecting", async () => {
  const { a, b, server: shared } = await ownerAndMember(api);
  const seenByA = recordEvents(await sockets.connect(a), [...LIVE_EVENTS]);
  const seenByB = recordEvents(await sockets.connect(b), [...LIVE_EVENTS]);

  const created = await api.post(`/api/v1/servers/${shared.id}/channels`, { name: "Off Topic" }, a.token);
  expect(created.status).toBe(201);
  expect(created.body).toEqual({ id: expect.any(String), serverId: shared.id, name: "off-topic", type: "text", position: expect.any(Number) });
  for (const events of [seenByA, seenByB]) {
    await waitFor(() => payloadsOf(events, "channel:create").length > 0, 5_000, "channel:create");
    expect(payloadsOf(events, "channel:create")).toEqual([created.body]);
  }

  const sent = await api.post(`/api/v1/channels/${created.body.id}/messages`, { content: "in the new room" }, a.token);
  await waitFor(() => payloadsOf(seenByB, "message:create").some((m) => m.id === sent.body.id), 5_000, "B to get the new channel's message");
});

test("member:add reaches the other members when someone joins", async () => {
  const { a, b, server: shared } = await ownerAndMember(api);
  const seenByA = recordEvents(await sockets.connect(a), ["member:add"]);
  const seenByB = recordEvents(await sockets.connect(b), ["member:add"]);
  const carol = await registerUser(api);

  await api.post(`/api/v1/invites/${await invite(shared.id, b.token)}`, {}, carol.token);
  for (const events of [seenByA, seenByB]) {
    await waitFor(() => events.length > 0, 5_000, "member:add");
    expect(payloadsOf(events, "member:add")).toEqual([
      { serverId: shared.id, member: { user: carol.user, joinedAt: expect.any(String), status: "offline" } },
    ]);
  }
});

test("member:remove reaches the other members and the leaver's own connections, and the leaver then hears nothing more", async () => {
  const { a, b, server: shared, channelId } = await ownerAndMember(api);
  const socketA = await sockets.connect(a);
  const seenByA = recordEvents(socketA, [...LIVE_EVENTS]);
  const leaverTabs = await Promise.all([sockets.connect(b), sockets.connect(b)]);
  const seenByLeaver = leaverTabs.map((tab) => recordEvents(tab, [...LIVE_EVENTS, "presence:update"]));

  const left = await api.delete(`/api/v1/servers/${shared.id}/members/@me`, b.token);
  expect(left.status).toBe(204);
  const removal = { serverId: shared.id, userId: b.user.id };
  for (const events of [seenByA, ...seenByLeaver]) {
    await waitFor(() => payloadsOf(events, "member:remove").length > 0, 5_000, "member:remove");
    expect(payloadsOf(events, "member:remove")).toEqual([removal]);
  }

  for (const events of seenByLeaver) events.length = 0;
  const sent = await emitWithAck(socketA, "message:send", { channelId, content: "after B left" });
  await emitWithAck(socketA, "typing:start", { channelId });
  await emitWithAck(socketA, "presence:set", { status: "dnd" });
  await api.post(`/api/v1/servers/${shared.id}/channels`, { name: "secret" }, a.token);
  await waitFor(() => payloadsOf(seenByA, "message:create").some((m) => m.id === sent.message.id), 5_000, "A's own copy");
  await waitFor(() => payloadsOf(seenByA, "channel:create").length > 0, 5_000, "A's channel:create");
  await settle(400);
  for (const events of seenByLeaver) expect(events).toEqual([]);
});

test("typing:start reaches the other members with {channelId, userId} but none of the typer's own sockets", async () => {
  const { a, b, channelId } = await ownerAndMember(api);
  const typerTabs = await Promise.all([sockets.connect(a), sockets.connect(a)]);
  const seenByTyper = typerTabs.map((tab) => recordEvents(tab, ["typing:start"]));
  const seenByB = recordEvents(await sockets.connect(b), ["typing:start"]);

  expect(await emitWithAck(typerTabs[0]!, "typing:start", { channelId })).toEqual({ ok: true });
  await waitFor(() => seenByB.length > 0, 5_000, "B to see A typing");
  await settle(300);
  expect(payloadsOf(seenByB, "typing:start")).toEqual([{ channelId, userId: a.user.id }]);
  for (const events of seenByTyper) expect(events).toEqual([]);
});

test("typing:start is fanned out at most once per channel per 3 s: extras are acked ok and dropped", async () => {
  const { a, b, channelId } = await ownerAndMember(api);
  const typer = await sockets.connect(a);
  const seenByB = recordEvents(await sockets.connect(b), ["typing:start", "message:create"]);
  for (let i = 0; i < 20; i++) expect(await emitWithAck(typer, "typing:start", { channelId })).toEqual({ ok: true });
  // A marker after the burst: once B has it, every typing:start that was going to arrive has.
  const marker = await emitWithAck(typer, "message:send", { channelId, content: "marker" });
  await waitFor(() => payloadsOf(seenByB, "message:create").some((m) => m.id === marker.message.id), 5_000, "the marker");
  expect(payloadsOf(seenByB, "typing:start")).toEqual([{ channelId, userId: a.user.id }]);
});

test("an invisible user's typing:start is acked ok and reaches nobody (it would show them online)", async () => {
  const { a, b, channelId } = await ownerAndMember(api);
  const typer = await sockets.connect(a);
  expect(await emitWithAck(typer, "presence:set", { status: "invisible" })).toEqual({ ok: true });
  const seenByB = recordEvents(await sockets.connect(b), ["typing:start", "message:create"]);
  expect(await emitWithAck(typer, "typing:start", { channelId })).toEqual({ ok: true });
  const marker = await emitWithAck(typer, "message:send", { channelId, content: "marker" });
  await waitFor(() => payloadsOf(seenByB, "message:create").some((m) => m.id === marker.message.id), 5_000, "the marker");
  expect(payloadsOf(seenByB, "typing:start")).toEqual([]);
});
