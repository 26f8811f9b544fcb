// Presence: online while any connection lives, once per real change, chosen status remembered.
import { afterEach, expect, test } from "vitest";
import { apiClient, type ApiClient, type TestUser } from "../support/api";
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

/** What B has heard about `userId`, in order. */
function statusesOf(events: Array<{ name: string; payload: any }>, userId: string): string[] {
  return payloadsOf(events, "presence:update")
    .filter((p) => p.userId === userId)
    .map((p) => p.status);
}

async function expectStatuses(events: Array<{ name: string; payload: any }>, user: TestUser, expected: string[]) {
  await waitFor(() => statusesOf(events, user.user.id).length >= expected.length, 5_000, `presence ${expected.join(",")}`);
  await settle(400); // long enough for a duplicate to show up
  expect(statusesOf(events, user.user.id)).toEqual(expected);
}

async function memberStatus(serverId: string, viewer: TestUser, userId: string): Promise<string> {
  const res = await api.get(`/api/v1/servers/${serverId}/members`, viewer.token);
  expect(res.status).toBe(200);
  return res.body.find((m: { user: { id: string } }) => m.user.id === userId)?.status;
}

test("B sees A come online with {userId, status: online} when A connects", async () => {
  const { a, b, server: shared } = await ownerAndMember(api);
  const seenByB = recordEvents(await sockets.connect(b), ["presence:update"]);
  expect(await memberStatus(shared.id, b, a.user.id)).toBe("offline");

  await sockets.connect(a);
  await waitFor(() => seenByB.length > 0, 5_000, "presence:update");
  expect(payloadsOf(seenByB, "presence:update")).toEqual([{ userId: a.user.id, status: "online" }]);
  expect(await memberStatus(shared.id, b, a.user.id)).toBe("online");
});

test("two tabs make one online event; closing one says nothing; closing the last says offline once", async () => {
  const { a, b, server: shared } = await ownerAndMember(api);
  const seenByB = recordEvents(await sockets.connect(b), ["presence:update"]);

  const firstTab = await sockets.connect(a);
  const secondTab = await sockets.connect(a);
  await expectStatuses(seenByB, a, ["online"]);

  firstTab.close();
  await settle(400);
  expect(statusesOf(seenByB, a.user.id)).toEqual(["online"]);
  expect(secondTab.connected).toBe(true);
  expect(await memberStatus(shared.id, b, a.user.id)).toBe("online");

  secondTab.close();
  await expectStatuses(seenByB, a, ["online", "offline"]);
  expect(await memberStatus(shared.id, b, a.user.id)).toBe("offline");
});

test("two tabs opening at the same moment announce online once; closing both at once announces offline once", async () => {
  const { a, b } = await ownerAndMember(api);
  const seenByB = recordEvents(await sockets.connect(b), ["presence:update"]);

  const tabs = await Promise.all([sockets.connect(a), sockets.connect(a), sockets.connect(a)]);
  await expectStatuses(seenByB, a, ["online"]);
  for (const tab of tabs) tab.close();
  await expectStatuses(seenByB, a, ["online", "offline"]);
});

test("presence:set dnd and idle reach the other members, once per change", async () => {
  const { a, b, server: shared } = await ownerAndMember(api);
  const socketA = await sockets.connect(a);
  const seenByB = recordEvents(await sockets.connect(b), ["presence:update"]);

  expect(await emitWithAck(socketA, "presence:set", { status: "dnd" })).toEqual({ ok: true });
  await expectStatuses(seenByB, a, ["dnd"]);
  expect(await memberStatus(shared.id, b, a.user.id)).toBe("dnd");

  // Choosing the status one already has is not a change.
  expect(await emitWithAck(socketA, "presence:set", { status: "dnd" })).toEqual({ ok: true });
  expect(await emitWithAck(socketA, "presence:set", { status: "idle" })).toEqual({ ok: true });
  await expectStatuses(seenByB, a, ["dnd", "idle"]);

  expect(await emitWithAck(socketA, "presence:set", { status: "online" })).toEqual({ ok: true });
  await expectStatuses(seenByB, a, ["dnd", "idle", "online"]);
});

test("the chosen status belongs to the user: opening another tab does not reset it to online", async () => {
  const { a, b } = await ownerAndMember(api);
  const firstTab = await sockets.connect(a);
  const seenByB = recordEvents(await sockets.connect(b), ["presence:update"]);
  await emitWithAck(firstTab, "presence:set", { status: "idle" });
  await expectStatuses(seenByB, a, ["idle"]);

  await sockets.connect(a);
  await settle(300);
  expect(statusesOf(seenByB, a.user.id)).toEqual(["idle"]);
});

test("invisible looks offline to others, over the gateway and in the members list", async () => {
  const { a, b, server: shared } = await ownerAndMember(api);
  const socketA = await sockets.connect(a);
  const seenByB = recordEvents(await sockets.connect(b), ["presence:update"]);

  expect(await emitWithAck(socketA, "presence:set", { status: "invisible" })).toEqual({ ok: true });
  await expectStatuses(seenByB, a, ["offline"]);
  expect(await memberStatus(shared.id, b, a.user.id)).toBe("offline");

  // Leaving while invisible changes nothing anyone can see.
  socketA.close();
  await settle(400);
  expect(statusesOf(seenByB, a.user.id)).toEqual(["offline"]);

  // Coming back stays invisible; becoming visible again is one change.
  const again = await sockets.connect(a);
  await settle(300);
  expect(statusesOf(seenByB, a.user.id)).toEqual(["offline"]);
  await emitWithAck(again, "presence:set", { status: "online" });
  await expectStatuses(seenByB, a, ["offline", "online"]);
});

test("a chosen status is remembered: A sets dnd, leaves, comes back and others see dnd, not online", async () => {
  const { a, b, server: shared } = await ownerAndMember(api);
  const socketA = await sockets.connect(a);
  const seenByB = recordEvents(await sockets.connect(b), ["presence:update"]);

  await emitWithAck(socketA, "presence:set", { status: "dnd" });
  await expectStatuses(seenByB, a, ["dnd"]);
  socketA.close();
  await expectStatuses(seenByB, a, ["dnd", "offline"]);

  await sockets.connect(a);
  await expectStatuses(seenByB, a, ["dnd", "offline", "dnd"]);
  expect(await memberStatus(shared.id, b, a.user.id)).toBe("dnd");
});

test("a user who shares no server with you is not announced to you", async () => {
  const first = await ownerAndMember(api);
  const second = await ownerAndMember(api);
  const seenByStranger = recordEvents(await sockets.connect(second.b), ["presence:update"]);
  const socketA = await sockets.connect(first.a);
  await emitWithAck(socketA, "presence:set", { status: "idle" });
  socketA.close();
  await settle(400);
  expect(statusesOf(seenByStranger, first.a.user.id)).toEqual([]);
});
