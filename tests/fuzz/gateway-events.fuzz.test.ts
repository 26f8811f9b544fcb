// Fuzz tier, gateway: random and hostile payloads for every client event of lib/gateway-events.ts
// over real Socket.IO connections (binary attachments, missing and extra arguments, no ack,
// packets over the 64 KiB limit), and raw Socket.IO frames. Properties: (a) every event with an
// ack is answered a success or a contract error, one without an ack leaves its connection
// working; only a packet over 64 KiB may close it; (b) the server stays up and the observer's
// connection still hears an ordinary message, every WITNESS_EVERY cases and at the end; (c) the
// channel holds exactly the acknowledged sends, with their content, and the observer heard
// exactly what is stored. Replay: FUZZ_SEED / FUZZ_RUNS (docs/security.md, "Fuzzing").
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Server } from "../../lib/domain/types";
import type { ClientToServerEvents } from "../../lib/gateway-events";
import { apiClient, createServerAs, joinServer, registerUser, uniqueName, type ApiClient, type TestUser } from "../support/api";
import { connectClient, waitFor, type GatewayClient } from "../support/gateway";
import { startServer, type ParleyServer } from "../support/server";
import { describeCase, expectContractAck } from "./support/answers";
import { binaryValue, hostileSocketValue, hostileString, idLike, nearlyValid } from "./support/hostile";
import { FUZZ_RUNS, FUZZ_SEED, fuzz, raiseLimitsForFuzzing } from "./support/settings";
import { wholeHistory, witness, type Witness } from "./support/witness";

raiseLimitsForFuzzing();

const WITNESS_EVERY = 50;
/** The gateway's packet limit (maxHttpBufferSize, docs/security.md): a larger packet closes its connection. */
const PACKET_LIMIT = 64 * 1024;

type EventName = keyof ClientToServerEvents;
/** Every client event of the event map; the compiler keeps the list complete. */
const EVENTS: Record<EventName, true> = { "message:send": true, "presence:set": true, "typing:start": true, "channels:focus": true, "members:subscribe": true };

/** How the arguments are laid out: with an ack (on the fuzzer's connection) or without (the silent one's). */
const LAYOUTS = ["payload, ack", "payload, ack", "payload, ack", "payload, ack", "ack", "payload, extra, ack", "payload", "payload, extra", "nothing"] as const;
type Layout = (typeof LAYOUTS)[number];

interface GatewayCase {
  layout: Layout;
  payload: unknown;
  extra: unknown;
}

let server: ParleyServer;
let api: ApiClient;
let observer: GatewayClient;
let watch: Witness;
let guild: Server;
let foreign: Server;
/** Fuzzers take turns (the per-user limit of 5 sends a second still leaves successes to check). */
const FUZZERS = ["fuzzer0", "fuzzer1", "fuzzer2", "fuzzer3"] as const;
type Connected = (typeof FUZZERS)[number] | "silent" | "raw";
const people = {} as Record<"owner" | "witness" | "stranger" | Connected, TestUser>;
const sockets = {} as Record<Connected, GatewayClient>;
let turn = 0;
let cases = 0;
let closedByLimit = 0;
/** Acks that said ok, by event: a fuzz that never succeeds would not test the success path. */
const successes: Record<string, number> = {};
/** What the fuzzer's acks said was stored, by message id; what the silent one sent without an ack. */
const acked = new Map<string, string>();
const nonces = new Map<string, { id: string; content: string }>();
const silentContents = new Set<string>();
const heard = new Map<string, string>();

beforeAll(async () => {
  server = await startServer();
  api = apiClient(server.url);
  for (const name of ["owner", "witness", "stranger", ...FUZZERS, "silent", "raw"] as const) people[name] = await registerUser(api, uniqueName(name));
  guild = await createServerAs(api, people.owner, "Fuzzed gateway");
  foreign = await createServerAs(api, people.stranger, "Foreign");
  for (const name of ["witness", ...FUZZERS, "silent", "raw"] as const) await joinServer(api, guild, people.owner, people[name]);
  ({ socket: observer } = await connectClient(server.url, people.owner.token));
  observer.on("message:create", (message) => void (message.channelId === guild.channels[0]!.id && heard.set(message.id, message.content)));
  watch = witness(api, people.witness, observer, guild.channels[0]!.id);
  for (const name of [...FUZZERS, "silent", "raw"] as const) sockets[name] = (await connectClient(server.url, people[name].token)).socket;
  console.log(`[fuzz] gateway: FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_RUNS}, ${Object.keys(EVENTS).length * eventRuns() + rawRuns()} cases`);
}, 120_000);

afterAll(async () => {
  for (const socket of [observer, ...Object.values(sockets)]) socket?.close();
  await server?.close();
});

const rawRuns = () => Math.max(5, Math.round(FUZZ_RUNS / 2));
/** A gateway case costs a few milliseconds (a REST one more): twice FUZZ_RUNS per event. */
const eventRuns = () => 2 * FUZZ_RUNS;

/** Payloads for each event: near-valid objects (binary in their fields too), and anything at all. */
function payloads(event: EventName): fc.Arbitrary<unknown> {
  const channelIds = [guild.channels[0]!.id, foreign.channels[0]!.id];
  const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 });
  const fields: Record<EventName, Record<string, fc.Arbitrary<unknown>>> = {
    "message:send": {
      channelId: idLike(channelIds),
      content: fc.oneof(text, hostileString),
      nonce: fc.oneof(fc.constantFrom("n1", "n2", "dup"), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), hostileString),
    },
    "presence:set": { status: fc.oneof(fc.constantFrom("online", "idle", "dnd", "invisible", "offline", "ONLINE", " idle"), hostileString) },
    "typing:start": { channelId: idLike(channelIds) },
    "channels:focus": { channelIds: fc.oneof(fc.array(idLike(channelIds), { maxLength: 12 }), hostileString) },
    "members:subscribe": {
      serverId: idLike([guild.id, foreign.id]),
      ranges: fc.oneof(
        fc.constant([[0, 99]]),
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(0, 100, 200), fc.integer({ min: -5, max: 10_000_005 })), fc.oneof(fc.constantFrom(99, 199), fc.integer({ min: -5, max: 10_000_005 }))), { maxLength: 4 }),
        fc.array(fc.array(fc.oneof(fc.integer(), fc.double(), hostileString), { maxLength: 3 }), { maxLength: 3 }),
      ),
    },
  };
  const general = guild.channels[0]!.id;
  const nonce = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
  // Valid payloads too: the success path (and what it stores) is under test as much as refusals.
  const valid: Record<EventName, fc.Arbitrary<unknown>> = {
    "message:send": fc.record({ channelId: fc.constant(general), content: text, nonce }, { requiredKeys: ["channelId", "content"] }),
    "presence:set": fc.record({ status: fc.constantFrom("online", "idle", "dnd", "invisible") }),
    "typing:start": fc.constant({ channelId: general }),
    "channels:focus": fc.record({ channelIds: fc.subarray([general]) }),
    "members:subscribe": fc.record({ serverId: fc.constant(guild.id), ranges: fc.constantFrom([[0, 99]], [[0, 99], [100, 199]], []) }),
  };
  const withBinary = Object.fromEntries(Object.entries(fields[event]).map(([key, value]) => [key, fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: binaryValue })]));
  return fc.oneof({ weight: 2, arbitrary: valid[event] }, { weight: 5, arbitrary: nearlyValid(fields[event]) }, { weight: 1, arbitrary: nearlyValid(withBinary) }, { weight: 3, arbitrary: hostileSocketValue });
}

function gatewayCase(event: EventName): fc.Arbitrary<GatewayCase> {
  return fc.record({ layout: fc.constantFrom(...LAYOUTS), payload: payloads(event), extra: hostileSocketValue });
}

/** The packet's size on the wire, near enough to tell "under 64 KiB" from "over" (binary goes apart). */
function packetBytes(args: unknown[]): number {
  const text = JSON.stringify(args, (_key, value) => (value instanceof Uint8Array || value instanceof ArrayBuffer || (value && value.type === "Buffer") ? { _placeholder: true, num: 0 } : value));
  return Buffer.byteLength(text ?? "");
}

/** A working connection for `name`: reopened when a packet over the limit closed the last one. */
async function connected(name: Connected): Promise<GatewayClient> {
  if (sockets[name].connected) return sockets[name];
  sockets[name].close();
  sockets[name] = (await connectClient(server.url, people[name].token)).socket;
  return sockets[name];
}

type Outcome = { kind: "ack"; ack: any } | { kind: "closed"; reason: string };

/** Emits and waits (bounded) for the ack or for the connection to close. */
function emitAndWait(socket: GatewayClient, event: string, args: unknown[], timeoutMs = 10_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const onClose = (reason: string) => {
      clearTimeout(timer);
      resolve({ kind: "closed", reason });
    };
    const timer = setTimeout(() => {
      socket.off("disconnect", onClose);
      reject(new Error(`no ack within ${timeoutMs} ms for ${event}`));
    }, timeoutMs);
    socket.once("disconnect", onClose);
    (socket.emit as (...a: unknown[]) => void)(event, ...args, (ack: unknown) => {
      clearTimeout(timer);
      socket.off("disconnect", onClose);
      resolve({ kind: "ack", ack });
    });
  });
}

/** The connection still answers: an ordinary `typing:start` is acked ok (or the connection was closed). */
function probe(socket: GatewayClient): Promise<Outcome> {
  return emitAndWait(socket, "typing:start", [{ channelId: guild.channels[0]!.id }]);
}

/** A packet over the limit may close its connection; anything else must leave it open. */
function expectClosedOnlyOverLimit(outcome: Outcome, bytes: number, what: string): void {
  if (outcome.kind !== "closed") return;
  expect(bytes, `${what}: the connection closed (${outcome.reason}) on a packet of ${bytes} bytes`).toBeGreaterThan(PACKET_LIMIT - 256);
  closedByLimit += 1;
}

async function runCase(event: EventName, c: GatewayCase): Promise<void> {
  const withAck = c.layout.endsWith("ack");
  const args = { "payload, ack": [c.payload], ack: [], "payload, extra, ack": [c.payload, c.extra], payload: [c.payload], "payload, extra": [c.payload, c.extra], nothing: [] }[c.layout];
  const bytes = packetBytes([event, ...args]);
  const what = `${event} (${c.layout}, ${bytes} bytes) ${describeCase(c.payload)}`;
  if (withAck) {
    const fuzzer = FUZZERS[turn++ % FUZZERS.length]!;
    const outcome = await emitAndWait(await connected(fuzzer), event, args);
    expectClosedOnlyOverLimit(outcome, bytes, what);
    if (outcome.kind === "ack" && expectContractAck(outcome.ack, what)) {
      successes[event] = (successes[event] ?? 0) + 1;
      if (event === "message:send") recordSend(people[fuzzer], c.payload as Record<string, unknown>, outcome.ack.message, what);
    }
  } else {
    const socket = await connected("silent");
    (socket.emit as (...a: unknown[]) => void)(event, ...args);
    if (event === "message:send") noteSilentSend(c.payload);
    const outcome = await probe(socket);
    expectClosedOnlyOverLimit(outcome, bytes, what);
    if (outcome.kind === "ack") expect(outcome.ack, `the connection still answers after ${what}`).toEqual({ ok: true });
  }
  await afterEachCase(`${event}`);
}

async function afterEachCase(label: string): Promise<void> {
  cases += 1;
  if (cases % WITNESS_EVERY === 0) await watch.check(`${cases} gateway cases (last: ${label})`);
}

/** An acked send: new (its content is what was sent, trimmed) or a repeat of a nonce (the original). */
function recordSend(sender: TestUser, sent: Record<string, unknown>, message: any, what: string): void {
  expect(message.author.id, what).toBe(sender.user.id);
  expect(message.channelId, what).toBe(guild.channels[0]!.id);
  const key = typeof sent.nonce === "string" ? `${sender.user.id}/${sent.nonce}` : undefined;
  const earlier = key === undefined ? undefined : nonces.get(key);
  if (earlier) {
    expect({ id: message.id, content: message.content }, `a repeated nonce answers the original: ${what}`).toEqual(earlier);
    return;
  }
  expect(message.content, what).toBe((sent.content as string).trim());
  expect(acked.has(message.id), what).toBe(false);
  acked.set(message.id, message.content);
  if (key !== undefined) nonces.set(key, { id: message.id, content: message.content });
}

/** What a send without an ack could have stored: its content, trimmed, when it is text. */
function noteSilentSend(payload: unknown): void {
  if (payload && typeof payload === "object" && typeof (payload as { content?: unknown }).content === "string") silentContents.add(((payload as { content: string }).content).trim());
}

/** Raw Socket.IO frames: packet types, ack ids, namespaces, reserved and prototype event names, broken binary headers. */
const rawFrame: fc.Arbitrary<string> = (() => {
  const names = fc.oneof(fc.constantFrom(...(Object.keys(EVENTS) as string[]), "disconnect", "connect", "disconnecting", "newListener", "__proto__", "constructor", "toString", "hasOwnProperty", ""), hostileString);
  const json = (value: unknown) => JSON.stringify(value) ?? "null";
  return fc.oneof(
    fc.tuple(names, hostileSocketValue).map(([name, payload]) => `2${json([name, payload])}`),
    // Ack ids far above the client's own, so a spoofed one never answers one of its real emits.
    fc.tuple(fc.integer({ min: 1e9, max: 2 ** 31 - 1 }), names, hostileSocketValue).map(([id, name, payload]) => `2${id}${json([name, payload])}`),
    fc.tuple(fc.constantFrom("/admin", "/", "/gateway", "/__proto__"), names).map(([nsp, name]) => `2${nsp},${json([name])}`),
    fc.tuple(fc.integer({ min: 0, max: 9 }), fc.nat({ max: 3 }), names).map(([count, num, name]) => `5${count}-${json([name, { channelId: { _placeholder: true, num } }])}`),
    fc.constantFrom("", "0", "1", "2", "3", "4", "6", "9", "2[", "2{}", "2null", "2[]", "2[1]", "2[null]", "21", "3[]", "31[]", "4{}", "0/admin,", "1/", "2\u0000"),
    hostileString.map((s) => `2${s}`),
  );
})();

describe("gateway fuzz: every client event answers a success or a contract error, and stays up", () => {
  test("the fuzz covers every client event of the event map", () => {
    expect(Object.keys(EVENTS).sort()).toEqual(["channels:focus", "members:subscribe", "message:send", "presence:set", "typing:start"]);
  });

  test.each(Object.keys(EVENTS) as EventName[])("%s", async (event) => {
    await fuzz(`gateway ${event}`, fc.asyncProperty(gatewayCase(event), (c) => runCase(event, c)), eventRuns());
  });

  test("raw Socket.IO frames: the server stays up; the connection answers or is closed", async () => {
    await fuzz(
      "gateway raw frames",
      fc.asyncProperty(rawFrame, async (frame) => {
        const socket = await connected("raw");
        (socket.io.engine as unknown as { write(data: string): void }).write(frame);
        // A frame may end the session behind the client's back (a DISCONNECT packet, "1"): then
        // the probe goes unanswered, and a fresh connection must work.
        const outcome = await emitAndWait(socket, "typing:start", [{ channelId: guild.channels[0]!.id }], 2_000).catch(() => undefined);
        if (outcome?.kind === "ack") expect(outcome.ack, `after the frame ${describeCase(frame)}`).toEqual({ ok: true });
        else {
          socket.close();
          expect((await probe(await connected("raw"))).kind, `a fresh connection after the frame ${describeCase(frame)}`).toBe("ack");
        }
        await afterEachCase("a raw frame");
      }),
      rawRuns(),
    );
  });

  test("afterwards: the observer still hears, the channel holds exactly the acknowledged sends, and the observer heard exactly those", async () => {
    await watch.check("the whole gateway fuzz");
    const stored = await wholeHistory(api, people.owner.token, guild.channels[0]!.id);
    const byAuthor = (id: string) => new Map(stored.filter((m) => m.author.id === id).map((m) => [m.id, m.content]));
    const fuzzers = new Set(FUZZERS.map((name) => people[name].user.id));
    expect(new Map(stored.filter((m) => fuzzers.has(m.author.id)).map((m) => [m.id, m.content])), "the fuzzers' messages are their acked sends").toEqual(acked);
    expect(byAuthor(people.witness.user.id)).toEqual(watch.sent);
    for (const content of byAuthor(people.silent.user.id).values()) expect(silentContents, "a send without an ack stored only what it sent").toContain(content);
    expect(byAuthor(people.owner.user.id).size + byAuthor(people.stranger.user.id).size).toBe(0);
    await waitFor(() => stored.every((m) => heard.has(m.id)), 10_000, "the observer to hear every stored message");
    expect(heard, "the observer heard exactly what is stored (nothing refused was delivered)").toEqual(new Map(stored.map((m) => [m.id, m.content])));
    console.log(`[fuzz] gateway: ${cases} cases, successes ${JSON.stringify(successes)}, ${closedByLimit} connections closed by the 64 KiB limit`);
  });
});
