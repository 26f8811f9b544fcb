// Passive sessions (contract v2, Focus): a connection that sends `channels:focus` hears its
// focused channels in full and the rest as coalesced `channel:activity`; one that never sends
// it hears everything (v1). Real server on port 0, real socket.io clients. "Nothing arrives"
// is proven with a marker: a message in a focused channel, sent afterwards, that does arrive.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import type { Channel, Message, Server } from "../../lib/domain/types";
import { ACTIVITY_WINDOW_MS } from "../../server/gateway/activity-coalescer";
import { DEFAULT_FOCUS_CALLS as FOCUS_CALLS_PER_WINDOW } from "../../server/gateway/focus-handler";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient, type TestUser } from "../support/api";
import { connectClient, emitWithAck, payloadsOf, recordEvents, settle, waitFor, type GatewayClient } from "../support/gateway";
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

const HEARD = ["message:create", "channel:activity"] as const;
type Heard = ReturnType<typeof recordEvents>;

/** A owns a server with #general, #random and #dev; B is a member. */
async function club(): Promise<{ a: TestUser; b: TestUser; guild: Server; general: Channel; random: Channel; dev: Channel }> {
  const [a, b] = await Promise.all([registerUser(api), registerUser(api)]);
  const guild = await createServerAs(api, a, "Club");
  const channel = async (name: string) => (await api.post<Channel>(`/api/v1/servers/${guild.id}/channels`, { name }, a.token)).body;
  const [random, dev] = [await channel("random"), await channel("dev")];
  await joinServer(api, guild, a, b);
  return { a, b, guild, general: guild.channels[0]!, random, dev };
}

async function post(user: TestUser, channel: Channel, content: string): Promise<Message> {
  const res = await api.post<Message>(`/api/v1/channels/${channel.id}/messages`, { content }, user.token);
  expect(res.status).toBe(201);
  return res.body;
}

async function focus(socket: GatewayClient, channels: Channel[]): Promise<void> {
  expect(await emitWithAck(socket, "channels:focus", { channelIds: channels.map((c) => c.id) })).toEqual({ ok: true });
}

const messageIds = (heard: Heard) => payloadsOf(heard, "message:create").map((m: Message) => m.id);
const activities = (heard: Heard) => payloadsOf(heard, "channel:activity");
/** Waits until `heard` has the message `marker` in full. */
const until = (heard: Heard, marker: Message) => waitFor(() => messageIds(heard).includes(marker.id), 5_000, `message ${marker.content}`);

describe("passive sessions", () => {
  test("a connection that never focused hears every message of every channel in full, and no channel:activity", async () => {
    const { a, b, general, random } = await club();
    const heard = recordEvents(await sockets.connect(b), [...HEARD]);
    const sent = [await post(a, random, "one"), await post(a, general, "two"), await post(a, random, "three")];
    await until(heard, sent[2]!);
    expect(messageIds(heard)).toEqual(sent.map((m) => m.id));
    expect(activities(heard)).toEqual([]);
  });

  test("a focusing connection hears its focused channel in full and every other channel as channel:activity", async () => {
    const { a, b, guild, general, random } = await club();
    const passive = await sockets.connect(b);
    const heard = recordEvents(passive, [...HEARD]);
    const everything = recordEvents(await sockets.connect(b), [...HEARD]); // B's other tab never focuses
    await focus(passive, [general]);

    const elsewhere = await post(a, random, "in #random");
    const marker = await post(a, general, "in #general");
    await until(heard, marker);
    expect(messageIds(heard)).toEqual([marker.id]);
    expect(activities(heard)).toEqual([{ channelId: random.id, serverId: guild.id, lastMessageId: elsewhere.id }]);
    await until(everything, marker);
    expect(messageIds(everything)).toEqual([elsewhere.id, marker.id]);
    expect(activities(everything)).toEqual([]);
  });

  test("a send that names the focused channel with leading zeros reaches the focusing connection in full, under the channel's own id", async () => {
    const { a, b, guild, general, random } = await club();
    const passive = await sockets.connect(b);
    const heard = recordEvents(passive, [...HEARD]);
    await focus(passive, [general]);
    const res = await api.post<Message>(`/api/v1/channels/00${general.id}/messages`, { content: "zeros", nonce: "z1" }, a.token);
    expect([res.status, res.body.channelId]).toEqual([201, general.id]);
    const retry = await api.post<Message>(`/api/v1/channels/${general.id}/messages`, { content: "zeros", nonce: "z1" }, a.token);
    expect([retry.status, retry.body.id]).toEqual([200, res.body.id]); // one nonce scope for both spellings
    const elsewhere = await api.post<Message>(`/api/v1/channels/0${random.id}/messages`, { content: "zeros elsewhere" }, a.token);
    const marker = await post(a, general, "marker");
    await until(heard, marker);
    expect(payloadsOf(heard, "message:create").map((m: Message) => [m.id, m.channelId])).toEqual([
      [res.body.id, general.id],
      [marker.id, general.id],
    ]);
    expect(activities(heard)).toEqual([{ channelId: random.id, serverId: guild.id, lastMessageId: elsewhere.body.id }]);
  });

  test("a message sent over the focusing connection itself, in an unfocused channel, is acked in full and heard as activity", async () => {
    const { b, guild, general, random } = await club();
    const passive = await sockets.connect(b);
    const heard = recordEvents(passive, [...HEARD]);
    await focus(passive, [general]);
    const ack = await emitWithAck(passive, "message:send", { channelId: random.id, content: "mine" });
    expect(ack.ok).toBe(true);
    await waitFor(() => activities(heard).length === 1, 5_000, "channel:activity");
    expect(activities(heard)).toEqual([{ channelId: random.id, serverId: guild.id, lastMessageId: ack.message.id }]);
    const marker = await emitWithAck(passive, "message:send", { channelId: general.id, content: "marker" });
    await until(heard, marker.message);
    expect(messageIds(heard)).toEqual([marker.message.id]);
  });

  test("channel:activity is coalesced per channel: the first at once, the rest of the next 2 s as one carrying the newest id, then nothing", async () => {
    const { a, b, guild, general, random, dev } = await club();
    const passive = await sockets.connect(b);
    const heard = recordEvents(passive, [...HEARD]);
    const arrivals: number[] = [];
    passive.on("channel:activity", (activity) => activity.channelId === random.id && arrivals.push(Date.now()));
    await focus(passive, [general]);

    const sentAt = Date.now();
    const first = await post(a, random, "first");
    await waitFor(() => activities(heard).length === 1, 5_000, "the first activity");
    // At once: well before the window could have ended.
    expect(Date.now() - sentAt).toBeLessThan(ACTIVITY_WINDOW_MS - 500);
    const rest = [await post(a, random, "second"), await post(a, random, "third"), await post(a, random, "fourth")];
    const inDev = await post(a, dev, "another channel is not held back by #random's window");
    await waitFor(() => activities(heard).some((x) => x.channelId === dev.id), 1_500, "#dev's own first activity");
    await waitFor(() => arrivals.length === 2, ACTIVITY_WINDOW_MS + 3_000, "the trailing activity");
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(ACTIVITY_WINDOW_MS - 250);

    // The window after the trailing one ends quiet; then a message is again announced at once.
    await settle(ACTIVITY_WINDOW_MS + 200);
    const again = await post(a, random, "after a quiet window");
    await waitFor(() => arrivals.length === 3, ACTIVITY_WINDOW_MS - 500, "the next leading activity");
    const marker = await post(a, general, "marker");
    await until(heard, marker);
    expect(activities(heard)).toEqual([
      { channelId: random.id, serverId: guild.id, lastMessageId: first.id },
      { channelId: dev.id, serverId: guild.id, lastMessageId: inDev.id },
      { channelId: random.id, serverId: guild.id, lastMessageId: rest[2]!.id },
      { channelId: random.id, serverId: guild.id, lastMessageId: again.id },
    ]);
    expect(messageIds(heard)).toEqual([marker.id]);
  });

  test("a new focus replaces the old one; an empty list focuses nothing, and the connection stays passive", async () => {
    const { a, b, general, random } = await club();
    const passive = await sockets.connect(b);
    const heard = recordEvents(passive, [...HEARD]);
    await focus(passive, [general]);
    await focus(passive, [random]);
    const inRandom = await post(a, random, "now focused");
    const inGeneral = await post(a, general, "no longer focused");
    await waitFor(() => activities(heard).length === 1, 5_000, "#general's activity");
    expect(activities(heard)[0].lastMessageId).toBe(inGeneral.id);
    expect(messageIds(heard)).toEqual([inRandom.id]);

    await focus(passive, []);
    const later = await post(a, random, "focused by nobody now");
    await waitFor(() => activities(heard).some((x) => x.lastMessageId === later.id), 5_000, "#random's activity");
    await focus(passive, [general]);
    const marker = await post(a, general, "marker");
    await until(heard, marker);
    expect(messageIds(heard)).toEqual([inRandom.id, marker.id]);
  });

  test("several channels can be focused at once, duplicates (also spelled with leading zeros) counting once", async () => {
    const { a, b, general, random, dev } = await club();
    const passive = await sockets.connect(b);
    const heard = recordEvents(passive, [...HEARD]);
    const ack = await emitWithAck(passive, "channels:focus", { channelIds: [general.id, random.id, general.id, `00${random.id}`] });
    expect(ack).toEqual({ ok: true });
    const sent = [await post(a, random, "r"), await post(a, general, "g")];
    const elsewhere = await post(a, dev, "d");
    await waitFor(() => activities(heard).length === 1, 5_000, "#dev's activity");
    expect(messageIds(heard)).toEqual(sent.map((m) => m.id));
    expect(activities(heard)[0].lastMessageId).toBe(elsewhere.id);
  });

  test("a server joined while passive is heard as channel:activity, never in full, until one of its channels is focused", async () => {
    const { a, b, general } = await club();
    const passive = await sockets.connect(b);
    const heard = recordEvents(passive, [...HEARD, "server:join"]);
    await focus(passive, [general]);

    const other = await createServerAs(api, a, "Other");
    await joinServer(api, other, a, b);
    await waitFor(() => payloadsOf(heard, "server:join").length === 1, 5_000, "server:join");
    const otherGeneral = other.channels[0]!;
    const unfocused = await post(a, otherGeneral, "in the new server");
    const marker = await post(a, general, "marker");
    await until(heard, marker);
    expect(messageIds(heard)).toEqual([marker.id]);
    expect(activities(heard)).toEqual([{ channelId: otherGeneral.id, serverId: other.id, lastMessageId: unfocused.id }]);

    await focus(passive, [otherGeneral]);
    const full = await post(a, otherGeneral, "now in full");
    await until(heard, full);
    expect(messageIds(heard)).toEqual([marker.id, full.id]);
  });

  test("a server created while passive too: its messages do not leak in full to the connection", async () => {
    const { b, general } = await club();
    const passive = await sockets.connect(b);
    const heard = recordEvents(passive, [...HEARD, "server:join"]);
    await focus(passive, [general]);
    const own = await createServerAs(api, b, "B's own");
    await waitFor(() => payloadsOf(heard, "server:join").length === 1, 5_000, "server:join");
    const inOwn = await post(b, own.channels[0]!, "in my new server");
    const marker = await post(b, general, "marker");
    await until(heard, marker);
    expect(messageIds(heard)).toEqual([marker.id]);
    expect(activities(heard).map((x) => x.lastMessageId)).toEqual([inOwn.id]);
  });

  test("after leaving a server a passive connection hears nothing of it, focused or not; focusing its channel is FORBIDDEN", async () => {
    const { a, b, general } = await club();
    const other = await createServerAs(api, a, "Left behind");
    await joinServer(api, other, a, b);
    const passive = await sockets.connect(b);
    const heard = recordEvents(passive, [...HEARD, "member:remove"]);
    await focus(passive, [general, other.channels[0]!]);

    expect((await api.delete(`/api/v1/servers/${other.id}/members/@me`, b.token)).status).toBe(204);
    await waitFor(() => payloadsOf(heard, "member:remove").length === 1, 5_000, "member:remove");
    await post(a, other.channels[0]!, "after you left");
    const marker = await post(a, general, "marker");
    await until(heard, marker);
    expect(messageIds(heard)).toEqual([marker.id]);
    expect(activities(heard)).toEqual([]);
    expect((await emitWithAck(passive, "channels:focus", { channelIds: [other.channels[0]!.id] })).error?.code).toBe("FORBIDDEN");
  });

  test("one connection's focus changes nothing for the user's other connections or for other users", async () => {
    const { a, b, general, random } = await club();
    const passive = await sockets.connect(b);
    await focus(passive, [general]);
    const otherTab = recordEvents(await sockets.connect(b), [...HEARD]);
    const owner = recordEvents(await sockets.connect(a), [...HEARD]);
    const sent = [await post(a, random, "r"), await post(a, general, "g")];
    for (const heard of [otherTab, owner]) {
      await until(heard, sent[1]!);
      expect(messageIds(heard)).toEqual(sent.map((m) => m.id));
      expect(activities(heard)).toEqual([]);
    }
  });

  test("message:create still takes the broadcast fast path to focusing and non-focusing connections alike", async () => {
    const { a, b, general } = await club();
    const passive = await sockets.connect(b);
    await focus(passive, [general]);
    const seen = [recordEvents(passive, ["message:create"]), recordEvents(await sockets.connect(a), ["message:create"])];
    const enginePackets: string[] = [];
    for (const serverSocket of server.io!.of("/").sockets.values()) {
      serverSocket.conn.on("packetCreate", (packet: { data?: unknown }) => {
        if (typeof packet.data === "string" && packet.data.includes('"message:create"')) enginePackets.push(packet.data);
      });
    }
    await post(a, general, "straight to the sockets");
    await waitFor(() => seen.every((events) => events.length === 1), 5_000, "the message on both sockets");
    expect(enginePackets).toEqual([]);
  });
});

describe("channels:focus acks", () => {
  let world: Awaited<ReturnType<typeof club>>;
  let socket: GatewayClient;
  beforeAll(async () => {
    world = await club();
  });

  const ids = (n: number) => Array.from({ length: n }, (_, i) => String(1_000 + i));
  // Each row is sent with an ack and must come back VALIDATION_FAILED.
  const malformed: Array<[label: string, payload: () => unknown]> = [
    ["undefined", () => undefined],
    ["null", () => null],
    ["a string", () => world.general.id],
    ["a number", () => 5],
    ["a bare array of ids", () => [world.general.id]],
    ["an empty object", () => ({})],
    ["channelIds as a string", () => ({ channelIds: world.general.id })],
    ["channelIds as null", () => ({ channelIds: null })],
    ["a numeric id", () => ({ channelIds: [Number(world.general.id)] })],
    ["an id that is not digits", () => ({ channelIds: ["general"] })],
    ["a negative id", () => ({ channelIds: ["-1"] })],
    ["an id above int64", () => ({ channelIds: ["9223372036854775808"] })],
    ["a 21-digit id", () => ({ channelIds: ["1".repeat(21)] })],
    ["an empty id", () => ({ channelIds: [""] })],
    ["an id with spaces", () => ({ channelIds: [` ${world.general.id} `] })],
    ["11 ids (the limit is 10)", () => ({ channelIds: ids(11) })],
    ["11 copies of one readable id", () => ({ channelIds: Array.from({ length: 11 }, () => world.general.id) })],
  ];

  test.each(malformed)("%s is acked VALIDATION_FAILED", async (_label, payload) => {
    socket ??= (await connectClient(server.url, world.b.token, { timeoutMs: 10_000 })).socket;
    const ack = await emitWithAck(socket, "channels:focus", payload());
    expect(ack).toEqual({ ok: false, error: { code: "VALIDATION_FAILED", message: expect.any(String) } });
  });

  test("after all of that the connection is still v1 (a refused focus applies nothing) and still works", async () => {
    const heard = recordEvents(socket, [...HEARD]);
    const sent = [await post(world.a, world.random, "r"), await post(world.a, world.general, "g")];
    await until(heard, sent[1]!);
    expect(messageIds(heard)).toEqual(sent.map((m) => m.id));
    expect(activities(heard)).toEqual([]);
    expect((await emitWithAck(socket, "message:send", { channelId: world.general.id, content: "still here" })).ok).toBe(true);
    socket.close();
  });

  test("exactly 10 ids are accepted", async () => {
    const owner = await sockets.connect(world.a);
    const extra = [];
    for (let i = 0; i < 7; i++) extra.push((await api.post<Channel>(`/api/v1/servers/${world.guild.id}/channels`, { name: `c${i}` }, world.a.token)).body);
    const ten = [world.general, world.random, world.dev, ...extra].map((c) => c.id);
    expect(ten).toHaveLength(10);
    expect(await emitWithAck(owner, "channels:focus", { channelIds: ten })).toEqual({ ok: true });
  });

  test("a channel of a server one is not in, an unknown channel, or one such among readable ones, is FORBIDDEN and changes nothing", async () => {
    const world = await club();
    const stranger = await registerUser(api);
    const strangers = await createServerAs(api, stranger, "Elsewhere");
    const passive = await sockets.connect(world.b);
    const heard = recordEvents(passive, [...HEARD]);
    await focus(passive, [world.general]);
    for (const channelIds of [[strangers.channels[0]!.id], ["1"], ["9223372036854775807"], [world.random.id, strangers.channels[0]!.id], [world.random.id, "1"]]) {
      expect(await emitWithAck(passive, "channels:focus", { channelIds })).toEqual({ ok: false, error: { code: "FORBIDDEN", message: expect.any(String) } });
    }
    // Still focusing #general only.
    const inRandom = await post(world.a, world.random, "r");
    const marker = await post(world.a, world.general, "g");
    await until(heard, marker);
    expect(messageIds(heard)).toEqual([marker.id]);
    await waitFor(() => activities(heard).some((x) => x.lastMessageId === inRandom.id), 5_000, "#random's activity");
  });

  test(`more than ${FOCUS_CALLS_PER_WINDOW} calls within 10 s on one connection are RATE_LIMITED (after validation and access), keeping the last focus that was applied`, async () => {
    const world = await club();
    const passive = await sockets.connect(world.b);
    const heard = recordEvents(passive, [...HEARD]);
    const channels = [world.general, world.random];
    for (let i = 0; i < FOCUS_CALLS_PER_WINDOW; i++) await focus(passive, [channels[i % 2]!]);
    const over = await emitWithAck(passive, "channels:focus", { channelIds: [world.dev.id] });
    expect(over).toEqual({ ok: false, error: { code: "RATE_LIMITED", message: expect.stringMatching(/channels:focus/) } });
    // The contract's order of errors: a malformed or forbidden call says so first.
    expect((await emitWithAck(passive, "channels:focus", { channelIds: ["x"] })).error.code).toBe("VALIDATION_FAILED");
    expect((await emitWithAck(passive, "channels:focus", { channelIds: ["1"] })).error.code).toBe("FORBIDDEN");
    // Another connection has its own budget.
    expect(await emitWithAck(await sockets.connect(world.b), "channels:focus", { channelIds: [world.dev.id] })).toEqual({ ok: true });

    const last = channels[(FOCUS_CALLS_PER_WINDOW - 1) % 2]!;
    const marker = await post(world.a, last, "the last applied focus holds");
    const inDev = await post(world.a, world.dev, "not focused by the limited call");
    await waitFor(() => activities(heard).some((x) => x.lastMessageId === inDev.id), 5_000, "#dev's activity");
    expect(messageIds(heard)).toEqual([marker.id]);
    expect(passive.connected).toBe(true);
    expect((await emitWithAck(passive, "message:send", { channelId: last.id, content: "still works" })).ok).toBe(true);
  });

  test("a flood of calls on one connection is answered call by call: the budget's worth applied in order, the rest refused, the last applied focus holds", async () => {
    const world = await club();
    const passive = await sockets.connect(world.b);
    const heard = recordEvents(passive, [...HEARD]);
    const pick = (i: number) => (i === FOCUS_CALLS_PER_WINDOW - 1 ? world.general : i % 2 ? world.dev : world.random);
    const acks = await Promise.all(Array.from({ length: 60 }, (_, i) => emitWithAck(passive, "channels:focus", { channelIds: [pick(i).id] })));
    expect(acks.slice(0, FOCUS_CALLS_PER_WINDOW)).toEqual(Array(FOCUS_CALLS_PER_WINDOW).fill({ ok: true }));
    for (const ack of acks.slice(FOCUS_CALLS_PER_WINDOW)) expect(ack).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
    const inRandom = await post(world.a, world.random, "r");
    const marker = await post(world.a, world.general, "g");
    await until(heard, marker);
    expect(messageIds(heard)).toEqual([marker.id]);
    await waitFor(() => activities(heard).some((x) => x.lastMessageId === inRandom.id), 5_000, "#random's activity");
  });

  test("calls made at once are applied in the order they were made", async () => {
    const world = await club();
    const passive = await sockets.connect(world.b);
    const heard = recordEvents(passive, [...HEARD]);
    const acks = await Promise.all([
      emitWithAck(passive, "channels:focus", { channelIds: [world.random.id] }),
      emitWithAck(passive, "channels:focus", { channelIds: [world.dev.id, world.random.id] }),
      emitWithAck(passive, "channels:focus", { channelIds: [world.general.id] }),
    ]);
    expect(acks).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    const inRandom = await post(world.a, world.random, "r");
    const marker = await post(world.a, world.general, "g");
    await until(heard, marker);
    expect(messageIds(heard)).toEqual([marker.id]);
    await waitFor(() => activities(heard).some((x) => x.lastMessageId === inRandom.id), 5_000, "#random's activity");
  });

  test("focus calls without an ack callback, malformed or not, do not break the connection", async () => {
    const { socket: bare } = await connectClient(server.url, world.b.token);
    try {
      const raw = bare as unknown as { emit(event: string, ...args: unknown[]): void };
      for (const payload of [undefined, null, "x", 1, [], {}, { channelIds: "1" }, { channelIds: [world.general.id] }]) raw.emit("channels:focus", payload);
      raw.emit("channels:focus");
      await settle(300);
      expect(bare.connected).toBe(true);
      expect((await emitWithAck(bare, "message:send", { channelId: world.general.id, content: "acked after all" })).ok).toBe(true);
    } finally {
      bare.close();
    }
  });
});
