// Member lists on the gateway (contract v2): `members:subscribe` answers with its ack, then a
// SYNC of the ranges; the rows stay live as members come online, change status, join and leave;
// in a large server (over 250 members) presence and member events reach only the watchers whose
// ranges hold the member's row. Real server on port 0, real socket.io clients. "Nothing
// arrives" is proven with a marker that arrives afterwards.
import { isDeepStrictEqual } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { MemberListCopy } from "../../lib/domain/member-list/client-copy";
import type { MemberListUpdate } from "../../lib/domain/member-list/types";
import type { Server } from "../../lib/domain/types";
import { loadMemberRows } from "../../lib/use-cases/shared/member-rows";
import { DEFAULT_MEMBER_LIST_SUBSCRIBES } from "../../server/gateway/member-list-gateway";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient, type TestUser } from "../support/api";
import { addCrowd } from "../support/crowd";
import { emitWithAck, payloadsOf, recordEvents, waitFor, type GatewayClient } from "../support/gateway";
import { expectedRows } from "../support/member-list-model";
import { socketPool } from "../support/scenario";
import { serverForThisFile, type ParleyServer } from "../support/server";

let server: ParleyServer;
let api: ApiClient;
const sockets = socketPool(() => server.url);

serverForThisFile((started) => {
  server = started;
  api = apiClient(started.url);
});
afterEach(() => sockets.closeAll());

/** A watcher: its copy of the list, kept from every `members:list` it hears. */
function watch(socket: GatewayClient, serverId: string) {
  const copy = new MemberListCopy();
  const updates: MemberListUpdate[] = [];
  socket.on("members:list", (update) => {
    if (update.serverId !== serverId) return;
    updates.push(update);
    copy.apply(update);
  });
  return { copy, updates };
}

/** The list as the stores hold it now, row for row. */
async function truth(guild: Server) {
  return expectedRows(await loadMemberRows(server.deps, guild.id));
}

async function rowsSettle(copy: MemberListCopy, guild: Server, start: number, end: number) {
  await expect.poll(async () => isDeepStrictEqual(copy.slice(start, end), (await truth(guild)).slice(start, end + 1)), { timeout: 5_000, interval: 25 }).toBe(true);
}

describe("members:subscribe", () => {
  test("acks, then SYNCs the ranges; the rows stay live as members come online, change status, join and leave", async () => {
    const [owner, b, c] = await Promise.all([registerUser(api), registerUser(api), registerUser(api)]);
    const guild = await createServerAs(api, owner, "Lists");
    await joinServer(api, guild, owner, b);
    const ownerSocket = await sockets.connect(owner);
    const { copy, updates } = watch(ownerSocket, guild.id);
    const order: string[] = [];
    ownerSocket.once("members:list", () => order.push("members:list"));
    // The ack callback itself, not a promise of it (whose continuation may run after later events).
    const ack = await new Promise((resolve) =>
      ownerSocket.emit("members:subscribe", { serverId: guild.id, ranges: [[0, 99]] }, (answer) => {
        order.push("ack");
        resolve(answer);
      }),
    );
    expect(ack).toEqual({ ok: true });
    await waitFor(() => updates.length > 0 || undefined, 5_000, "the SYNC");
    expect(order).toEqual(["ack", "members:list"]);
    expect(updates[0]!.ops[0]).toMatchObject({ op: "SYNC", range: [0, 99] });
    expect(updates[0]).toMatchObject({ memberCount: 2, onlineCount: 1 });
    expect(copy.slice(0, 99)).toEqual(await truth(guild));
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^parley_member_list_subscriptions (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^parley_member_list_frames_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);

    await sockets.connect(b); // b comes online
    await rowsSettle(copy, guild, 0, 99);
    const bSocket = await sockets.connect(b);
    expect(await emitWithAck(bSocket, "presence:set", { status: "dnd" })).toEqual({ ok: true });
    await rowsSettle(copy, guild, 0, 99);
    await joinServer(api, guild, owner, c);
    await rowsSettle(copy, guild, 0, 99);
    expect(copy.memberCount).toBe(3);
    expect((await api.delete(`/api/v1/servers/${guild.id}/members/@me`, c.token)).status).toBe(204);
    await rowsSettle(copy, guild, 0, 99);
    expect(copy.memberCount).toBe(2);
  });

  test("bad payloads are VALIDATION_FAILED, unknown servers NOT_FOUND, other people's servers FORBIDDEN", async () => {
    const [owner, outsider] = await Promise.all([registerUser(api), registerUser(api)]);
    const guild = await createServerAs(api, owner, "Private");
    const socket = await sockets.connect(outsider);
    const code = async (payload: unknown) => (await emitWithAck(socket, "members:subscribe", payload)).error?.code;
    for (const bad of [
      undefined,
      "x",
      { serverId: guild.id },
      { serverId: guild.id, ranges: "0-99" },
      { serverId: guild.id, ranges: [[50, 99]] },
      { serverId: guild.id, ranges: [[0, 100]] },
      { serverId: guild.id, ranges: [[100, 99]] },
      { serverId: guild.id, ranges: [[0, 99], [100, 199], [200, 299], [300, 399]] },
      { serverId: guild.id, ranges: [[0.5, 99]] },
      { serverId: guild.id, ranges: [[-100, -1]] },
      { serverId: "not-an-id", ranges: [[0, 99]] },
    ])
      expect(await code(bad), JSON.stringify(bad)).toBe("VALIDATION_FAILED");
    expect(await code({ serverId: "1", ranges: [[0, 99]] })).toBe("NOT_FOUND");
    expect(await code({ serverId: guild.id, ranges: [[0, 99]] })).toBe("FORBIDDEN");
    expect(socket.connected).toBe(true);
  });

  test(`more than ${DEFAULT_MEMBER_LIST_SUBSCRIBES} subscribes within 10 s on one connection are RATE_LIMITED; the last accepted ranges stay`, async () => {
    const owner = await registerUser(api);
    const guild = await createServerAs(api, owner, "Busy");
    const socket = await sockets.connect(owner);
    const { updates } = watch(socket, guild.id);
    const acks = [];
    for (let i = 0; i < DEFAULT_MEMBER_LIST_SUBSCRIBES + 2; i++) acks.push(await emitWithAck(socket, "members:subscribe", { serverId: guild.id, ranges: [[0, 99]] }));
    expect(acks.slice(0, DEFAULT_MEMBER_LIST_SUBSCRIBES).every((a) => a.ok)).toBe(true);
    expect(acks.slice(DEFAULT_MEMBER_LIST_SUBSCRIBES).map((a) => a.error?.code)).toEqual(["RATE_LIMITED", "RATE_LIMITED"]);
    await waitFor(() => updates.length >= DEFAULT_MEMBER_LIST_SUBSCRIBES || undefined, 5_000, "the SYNCs of the accepted calls");
  });
});

describe("a large server (over 250 members)", () => {
  async function largeServer() {
    const owner = await registerUser(api);
    const guild = await createServerAs(api, owner, "Large");
    const crowd = await addCrowd(server, guild, 260);
    return { owner, guild, crowd };
  }

  test("presence reaches only the watchers whose ranges hold the member's row, not every member", async () => {
    const { owner, guild, crowd } = await largeServer();
    // Rows: the online group (the owner, then whoever is online) and then the offline crowd.
    const watcherNear = await sockets.connect(owner); // the owner watches the top block
    const near = watch(watcherNear, guild.id);
    const farUser = crowd[259]!;
    const farSocket = await sockets.connect(farUser); // online: its row is in the top block now
    const bystander = await sockets.connect(crowd[100]!); // a member who watches nothing
    const heardByBystander = recordEvents(bystander, ["presence:update", "member:add", "message:create"]);
    const otherWatcher = await sockets.connect(crowd[101]!);
    const other = watch(otherWatcher, guild.id);
    const heardByOther = recordEvents(otherWatcher, ["presence:update", "message:create"]);
    expect(await emitWithAck(watcherNear, "members:subscribe", { serverId: guild.id, ranges: [[0, 99]] })).toEqual({ ok: true });
    expect(await emitWithAck(otherWatcher, "members:subscribe", { serverId: guild.id, ranges: [[200, 299]] })).toEqual({ ok: true });
    await waitFor(() => (near.updates.length > 0 && other.updates.length > 0) || undefined, 5_000, "both SYNCs");
    const heardByNear = recordEvents(watcherNear, ["presence:update"]);

    // crowd[0] comes online: its row moves into the online group (block 0) from block 0's offline part.
    const mover = await sockets.connect(crowd[0]!);
    await waitFor(() => payloadsOf(heardByNear, "presence:update").find((p) => p.userId === crowd[0]!.user.id), 5_000, "the watcher of the row hears it");
    await rowsSettle(near.copy, guild, 0, 99);
    await rowsSettle(other.copy, guild, 200, 299);
    // A marker every member hears, after the change: neither the bystander nor the far watcher heard the presence.
    const marker = (await api.post(`/api/v1/channels/${guild.channels[0]!.id}/messages`, { content: "marker" }, owner.token)).body;
    for (const heard of [heardByBystander, heardByOther]) await waitFor(() => payloadsOf(heard, "message:create").find((m) => m.id === marker.id), 5_000, "the marker");
    expect(payloadsOf(heardByBystander, "presence:update")).toEqual([]);
    expect(payloadsOf(heardByOther, "presence:update").filter((p) => p.userId === crowd[0]!.user.id)).toEqual([]);
    void mover;
    void farSocket;
  });

  test("member:add and member:remove reach only the watchers holding the row (and the leaver)", async () => {
    const { owner, guild, crowd } = await largeServer();
    const watcher = await sockets.connect(owner);
    const list = watch(watcher, guild.id);
    const heardByWatcher = recordEvents(watcher, ["member:add", "member:remove"]);
    const bystander = await sockets.connect(crowd[5]!);
    const heardByBystander = recordEvents(bystander, ["member:add", "member:remove", "message:create"]);
    // The newcomer's name sorts first among the offline crowd: its row lands in block 0.
    const newcomer = await registerUser(api, `aaa_${Date.now() % 1e9}`);
    expect(await emitWithAck(watcher, "members:subscribe", { serverId: guild.id, ranges: [[0, 99]] })).toEqual({ ok: true });
    await waitFor(() => list.updates.length > 0 || undefined, 5_000, "the SYNC");
    await joinServer(api, guild, owner, newcomer);
    await waitFor(() => payloadsOf(heardByWatcher, "member:add").find((p) => p.member.user.id === newcomer.user.id), 5_000, "member:add for the watcher");
    const newcomerSocket = await sockets.connect(newcomer);
    const heardByLeaver = recordEvents(newcomerSocket, ["member:remove"]);
    expect((await api.delete(`/api/v1/servers/${guild.id}/members/@me`, newcomer.token)).status).toBe(204);
    await waitFor(() => payloadsOf(heardByWatcher, "member:remove").find((p) => p.userId === newcomer.user.id), 5_000, "member:remove for the watcher");
    await waitFor(() => payloadsOf(heardByLeaver, "member:remove").find((p) => p.userId === newcomer.user.id), 5_000, "member:remove for the leaver");
    await rowsSettle(list.copy, guild, 0, 99);
    const marker = (await api.post(`/api/v1/channels/${guild.channels[0]!.id}/messages`, { content: "marker" }, owner.token)).body;
    await waitFor(() => payloadsOf(heardByBystander, "message:create").find((m) => m.id === marker.id), 5_000, "the marker");
    expect(payloadsOf(heardByBystander, "member:add")).toEqual([]);
    expect(payloadsOf(heardByBystander, "member:remove")).toEqual([]);
  });
});
