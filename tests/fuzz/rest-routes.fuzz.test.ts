// Fuzz tier, REST: random and hostile path segments, queries and bodies at every route under
// /api (the custom server's hot routes included). Properties: (a) each answer is a success or a
// contract error (documented code, its status, no 5xx, no leak); (b) the server stays up and an
// observer's open connection still hears an ordinary message, every WITNESS_EVERY cases and at
// the end; (c) nothing is stored that a refused request asked for, and what a success
// acknowledged is stored exactly. Replay: FUZZ_SEED / FUZZ_RUNS (docs/security.md, "Fuzzing").
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Channel, Server } from "../../lib/domain/types";
import { apiClient, createServerAs, joinServer, registerUser, uniqueName, type ApiClient, type TestUser } from "../support/api";
import { connectClient, type GatewayClient } from "../support/gateway";
import { ROUTES } from "../support/routes";
import { startServer, type ParleyServer } from "../support/server";
import { expectContractAnswer, describeCase } from "./support/answers";
import { hostileString, idLike, RAW_URL_PIECES } from "./support/hostile";
import { send } from "./support/http";
import { appRouteLabels, bodyBytes, canonical, decodedSegment, fillTemplate, restCase, type CaseShape, type RestCase } from "./support/rest-cases";
import { FUZZ_RUNS, FUZZ_SEED, fuzz, raiseLimitsForFuzzing } from "./support/settings";
import { wholeHistory, witness, type Witness } from "./support/witness";

raiseLimitsForFuzzing();

const PASSWORD = "correct horse battery";
const WITNESS_EVERY = 50;

/** Every fuzzed route; `share` scales FUZZ_RUNS for routes that are mostly one 404 (catch-alls). */
const LABELS: Array<[label: string, share: number]> = [
  ["POST /api/v1/auth/register", 1],
  ["POST /api/v1/auth/login", 1],
  ["POST /api/v1/auth/logout", 0.5],
  ["GET /api/v1/users/{userId}", 0.5],
  ["PUT /api/v1/users/{userId}/password", 0.5],
  ["GET /api/v1/users/{userId}/read-states", 0.5],
  ["GET /api/v1/gateway", 0.5],
  ["POST /api/v1/servers", 1],
  ["GET /api/v1/servers", 0.5],
  ["GET /api/v1/servers/{serverId}", 1],
  ["POST /api/v1/servers/{serverId}/channels", 1],
  ["POST /api/v1/servers/{serverId}/invites", 1],
  ["GET /api/v1/servers/{serverId}/members", 1],
  ["DELETE /api/v1/servers/{serverId}/members/{memberId}", 1],
  ["GET /api/v1/invites/{code}", 1],
  ["POST /api/v1/invites/{code}", 1],
  ["POST /api/v1/channels/{channelId}/messages", 2],
  ["GET /api/v1/channels/{channelId}/messages", 1],
  ["PUT /api/v1/channels/{channelId}/read-state", 1],
  ...(["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => [`${m} /api/v1/{...rest}`, 0.2] as [string, number])),
  ["GET /api/auth/{...nextauth}", 0.3],
  ["POST /api/auth/{...nextauth}", 0.3],
];

interface Route {
  shape: CaseShape;
  /** The caller's token for this case (some routes sign in afresh for each case). */
  token?: () => Promise<string | undefined> | string | undefined;
  /** Next-auth is not the contract's: its answers need only not fail (no 5xx, no leak). */
  notContract?: boolean;
  /**
   * Unknown paths may hit a real route with a method it lacks: Next answers that itself, 405 with
   * an empty body, before any Parley code (docs/security.md, "Fuzzing"); accepted there only.
   */
  anyMethod?: boolean;
  /** Route-specific properties and bookkeeping of a contract answer. */
  after?: (c: RestCase, answer: { status: number; ok: boolean; body: any }, token: string | undefined) => Promise<void> | void;
}

let server: ParleyServer;
let api: ApiClient;
let observer: GatewayClient;
let watch: Witness;
let table: Record<string, Route>;
let cases = 0;
/** Members of `guild` and `own` who post in turn: the per-user limit (5 a second) still leaves successes. */
let posters: TestUser[] = [];
let nextPoster = 0;

// The world: `owner` owns `guild` and watches it from an open socket; `actor` is a member who owns
// `own`; `leaver` joins and leaves; `wanderer` calls unknown paths; `foreign` is nobody's server.
const people = {} as Record<"owner" | "witness" | "actor" | "leaver" | "wanderer" | "stranger" | "loggingOut" | "changer", TestUser>;
let guild: Server, own: Server, foreign: Server;
let invites: { guild: string; own: string; foreign: string };
let seedMessages: string[];
/** What successes acknowledged, and what refusals must not have left behind. */
const expected = {
  messages: new Map<string, Map<string, string>>(),
  nonces: new Map<string, { id: string; content: string }>(),
  actorServers: new Set<string>(),
  ownChannels: new Set<string>(),
  leaverServers: new Set<string>(),
  markers: new Map<string, bigint>(),
  registered: new Set<string>(),
  refusedUsernames: new Set<string>(),
  changerPassword: PASSWORD,
};

beforeAll(async () => {
  server = await startServer();
  api = apiClient(server.url);
  for (const name of ["owner", "witness", "actor", "leaver", "wanderer", "stranger", "loggingOut", "changer"] as const) people[name] = await registerUser(api, uniqueName(name.slice(0, 8)), PASSWORD);
  guild = await createServerAs(api, people.owner, "Fuzzed guild");
  own = await createServerAs(api, people.actor, "Actor's own");
  foreign = await createServerAs(api, people.stranger, "Foreign");
  for (const member of [people.witness, people.actor, people.leaver, people.changer]) await joinServer(api, guild, people.owner, member);
  const code = async (s: Server, who: TestUser) => (await api.post(`/api/v1/servers/${s.id}/invites`, {}, who.token)).body.code as string;
  invites = { guild: await code(guild, people.owner), own: await code(own, people.actor), foreign: await code(foreign, people.stranger) };
  ({ socket: observer } = await connectClient(server.url, people.owner.token));
  watch = witness(api, people.witness, observer, guild.channels[0]!.id);
  for (const s of [guild, own]) expected.messages.set(s.channels[0]!.id, new Map());
  seedMessages = [];
  for (const [s, who] of [[guild, people.witness], [own, people.actor], [guild, people.owner]] as const) {
    const res = await api.post(`/api/v1/channels/${s.channels[0]!.id}/messages`, { content: `seed in ${s.name}` }, who.token);
    expected.messages.get(s.channels[0]!.id)!.set(res.body.id, res.body.content);
    seedMessages.push(res.body.id);
  }
  for (let i = 0; i < 4; i++) {
    const poster = await registerUser(api, uniqueName("poster"), PASSWORD);
    for (const s of [guild, own]) await joinServer(api, s, s === guild ? people.owner : people.actor, poster);
    posters.push(poster);
  }
  for (const s of [guild, own]) expected.actorServers.add(s.id);
  expected.ownChannels.add(own.channels[0]!.id);
  expected.leaverServers.add(guild.id);
  table = routes();
  console.log(`[fuzz] REST: FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_RUNS}, ${LABELS.reduce((n, [, share]) => n + runsFor(share), 0)} cases`);
}, 120_000);

afterAll(async () => {
  observer?.close();
  await server?.close();
});

const runsFor = (share: number) => Math.max(5, Math.round(FUZZ_RUNS * share));
const known = (...ids: string[]) => idLike(ids);

function routes(): Record<string, Route> {
  const { actor, leaver, wanderer, loggingOut, changer } = people;
  const serverIds = [guild.id, own.id, foreign.id];
  const channelIds = [guild.channels[0]!.id, own.channels[0]!.id, foreign.channels[0]!.id];
  const anyId = [...serverIds, ...channelIds, ...seedMessages, actor.user.id];
  const me = (id: string) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom("@me", "@ME", "@me ", "me", id) }, { weight: 2, arbitrary: hostileString });
  const names = fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 });
  const usernames = fc.stringMatching(/^[a-zA-Z0-9_.]{3,20}$/).map((s) => `fz${s}`.slice(0, 32));
  const idValues = fc.oneof(fc.constantFrom("1", "50", "100", "1000", "0", "-1", ...anyId), hostileString);
  return {
    "POST /api/v1/auth/register": {
      shape: { fields: { username: fc.oneof(usernames, hostileString), password: fc.oneof(fc.constant(PASSWORD), hostileString), displayName: fc.oneof(names, hostileString) } },
      after(c, answer) {
        const fields = jsonBody(c);
        if (typeof fields?.username !== "string") return;
        const username = fields.username.trim().toLowerCase();
        if (answer.status === 201) {
          expect(answer.body.user.username).toBe(username);
          expected.registered.add(username);
        } else if (answer.status !== 409) expected.refusedUsernames.add(username);
      },
    },
    "POST /api/v1/auth/login": {
      shape: { fields: { username: fc.oneof(fc.constantFrom(actor.user.username, actor.user.username.toUpperCase(), ` ${leaver.user.username} `), hostileString), password: fc.oneof(fc.constant(PASSWORD), hostileString) } },
    },
    "POST /api/v1/auth/logout": {
      shape: { queryNames: ["all"] },
      token: async () => (await api.post("/api/v1/auth/login", { username: loggingOut.user.username, password: PASSWORD })).body.token,
      async after(_c, answer, token) {
        // Ended by a 204, and only then: a refused logout leaves the sign-in working.
        expect((await api.get("/api/v1/users/@me", token)).status).toBe(answer.status === 204 ? 401 : 200);
      },
    },
    "GET /api/v1/users/{userId}": {
      shape: { segments: { userId: me(actor.user.id) } },
      token: () => actor.token,
      after: (_c, answer) => void (answer.ok && expect(answer.body.id).toBe(actor.user.id)),
    },
    "PUT /api/v1/users/{userId}/password": {
      shape: {
        segments: { userId: me(changer.user.id) },
        // The current password as it stands when the case runs (a success changes it).
        fields: { currentPassword: fc.oneof(fc.constant(CURRENT), hostileString), newPassword: fc.oneof(fc.string({ unit: "grapheme-ascii", minLength: 8, maxLength: 20 }), hostileString) },
      },
      token: () => changer.token,
      async after(c, answer, token) {
        if (answer.status === 200) {
          expect((await api.get("/api/v1/users/@me", token)).status, "the old token ends").toBe(401);
          changer.token = answer.body.token;
          expected.changerPassword = jsonBody(c)!.newPassword as string;
        }
        expect((await api.get("/api/v1/users/@me", changer.token)).status).toBe(200);
      },
    },
    "GET /api/v1/users/{userId}/read-states": { shape: { segments: { userId: me(actor.user.id) } }, token: () => actor.token },
    "POST /api/v1/servers": {
      shape: { fields: { name: fc.oneof(names, hostileString) } },
      token: () => actor.token,
      after(c, answer) {
        if (answer.status !== 201) return;
        expect(answer.body.name).toBe((jsonBody(c)!.name as string).trim());
        expected.actorServers.add(answer.body.id);
      },
    },
    "GET /api/v1/servers": { shape: {}, token: () => actor.token },
    "GET /api/v1/gateway": {
      shape: {},
      token: () => actor.token,
      after(_c, answer) {
        // Alone, the node names the origin the client reached it on.
        if (answer.status === 200) expect(answer.body).toEqual({ url: server.url });
      },
    },
    "GET /api/v1/servers/{serverId}": { shape: { segments: { serverId: known(...serverIds) } }, token: () => actor.token },
    "POST /api/v1/servers/{serverId}/channels": {
      shape: { segments: { serverId: known(...serverIds) }, fields: { name: fc.oneof(fc.stringMatching(/^[a-zA-Z0-9 _-]{1,20}$/), hostileString) } },
      token: () => actor.token,
      after(c, answer) {
        if (answer.status !== 201) return;
        expect(answer.body.serverId).toBe(own.id);
        expect(answer.body.name).toBe((jsonBody(c)!.name as string).trim().toLowerCase().replace(/ /g, "-"));
        expected.ownChannels.add(answer.body.id);
      },
    },
    "POST /api/v1/servers/{serverId}/invites": {
      shape: { segments: { serverId: known(...serverIds) }, fields: { maxAgeSeconds: fc.integer(), maxUses: fc.integer() } },
      token: () => actor.token,
      after: (c, answer) => void (answer.ok && expect(answer.body.serverId).toBe(canonical(decodedSegment(c.segments.serverId!) ?? ""))),
    },
    "GET /api/v1/servers/{serverId}/members": {
      shape: { segments: { serverId: known(...serverIds) }, queryNames: ["limit", "after"], queryValues: idValues },
      token: () => actor.token,
    },
    "DELETE /api/v1/servers/{serverId}/members/{memberId}": {
      shape: { segments: { serverId: known(...serverIds), memberId: me(leaver.user.id) } },
      token: () => leaver.token,
      after(c, answer) {
        if (answer.status === 204) expected.leaverServers.delete(canonical(decodedSegment(c.segments.serverId!)!)!);
      },
    },
    "GET /api/v1/invites/{code}": { shape: { segments: { code: fc.oneof(fc.constantFrom(invites.guild, invites.own, invites.foreign), hostileString) } }, token: () => actor.token },
    "POST /api/v1/invites/{code}": {
      shape: { segments: { code: fc.oneof(fc.constantFrom(invites.guild, invites.own, invites.foreign), hostileString) } },
      token: () => leaver.token,
      after: (_c, answer) => void (answer.ok && expected.leaverServers.add(answer.body.id)),
    },
    "POST /api/v1/channels/{channelId}/messages": {
      shape: {
        segments: { channelId: known(...channelIds) },
        fields: { content: fc.oneof(names, hostileString), nonce: fc.oneof(fc.constantFrom("n1", "n2", "dup"), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), hostileString) },
      },
      token: () => posters[nextPoster++ % posters.length]!.token,
      after(c, answer, token) {
        if (!answer.ok) return;
        const sent = jsonBody(c)!;
        const sender = posters.find((p) => p.token === token)!;
        expect(answer.body.author.id).toBe(sender.user.id);
        const { id, channelId, content } = answer.body;
        const channel = expected.messages.get(channelId);
        expect(channel, "a message stored in a channel the actor can post to").toBeDefined();
        const key = `${sender.user.id}/${channelId}/${sent.nonce}`;
        if (answer.status === 201) {
          expect(content).toBe((sent.content as string).trim());
          channel!.set(id, content);
          if (typeof sent.nonce === "string") {
            expect(expected.nonces.has(key), "a repeated nonce stores nothing new").toBe(false);
            expected.nonces.set(key, { id, content });
          }
        } else {
          expect(answer.status).toBe(200);
          expect(expected.nonces.get(key)).toEqual({ id, content });
        }
      },
    },
    "GET /api/v1/channels/{channelId}/messages": {
      shape: { segments: { channelId: known(...channelIds) }, queryNames: ["limit", "before", "after", "around"], queryValues: idValues },
      token: () => actor.token,
      after(_c, answer) {
        if (!answer.ok) return;
        expect(Array.isArray(answer.body)).toBe(true);
        const ids = answer.body.map((m: { id: string }) => BigInt(m.id));
        for (let i = 1; i < ids.length; i++) expect(ids[i - 1] > ids[i], "history is newest first").toBe(true);
      },
    },
    "PUT /api/v1/channels/{channelId}/read-state": {
      shape: { segments: { channelId: known(...channelIds) }, fields: { lastReadId: idLike(seedMessages) } },
      token: () => actor.token,
      after(_c, answer) {
        if (!answer.ok) return;
        const channelId = canonical(answer.body.channelId);
        const marker = BigInt(answer.body.lastReadId);
        expect(answer.body.channelId, "the channel's own id").toBe(channelId);
        expect(marker >= (expected.markers.get(channelId!) ?? 0n), "a marker never moves backwards").toBe(true);
        expected.markers.set(channelId!, marker);
      },
    },
    ...Object.fromEntries(
      ["GET", "POST", "PUT", "PATCH", "DELETE"].map((method) => [
        `${method} /api/v1/{...rest}`,
        {
          shape: { segments: { rest: fc.oneof(fc.constantFrom("nothing", "servers", "channels", "users", "@me", ...anyId, ...RAW_URL_PIECES), hostileString) }, fields: { name: names, content: names } },
          token: () => wanderer.token,
          anyMethod: true,
        } satisfies Route,
      ]),
    ),
    ...Object.fromEntries(
      ["GET", "POST"].map((method) => [
        `${method} /api/auth/{...nextauth}`,
        { shape: { segments: { nextauth: fc.oneof(fc.constantFrom("session", "csrf", "providers", "signin", "signout", "callback", "error", "_log"), hostileString) }, fields: { username: hostileString, password: hostileString, csrfToken: hostileString } }, notContract: true } satisfies Route,
      ]),
    ),
  };
}

/** Stands for the changer's current password inside an arbitrary (replaced when the case runs). */
const CURRENT = "\u0001current-password\u0001";

/** The body as the server reads it (UTF-8 decoded, broken sequences replaced), when it is a JSON object. */
function jsonBody(c: RestCase): Record<string, any> | undefined {
  const bytes = bodyBytes(c.body);
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes));
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The generated object itself (to stand the changer's current password in before sending). */
function generatedObject(c: RestCase): Record<string, unknown> | undefined {
  return c.body.kind === "json" && c.body.value && typeof c.body.value === "object" && !Array.isArray(c.body.value) ? (c.body.value as Record<string, unknown>) : undefined;
}

function pathFor(label: string, c: RestCase): string {
  const template = label.slice(label.indexOf(" ") + 1);
  return fillTemplate(template, c.segments) + c.query;
}

async function runCase(label: string, route: Route, c: RestCase): Promise<void> {
  const method = label.slice(0, label.indexOf(" "));
  const generated = generatedObject(c);
  if (generated?.currentPassword === CURRENT) generated.currentPassword = expected.changerPassword;
  const token = await route.token?.();
  const what = `${label} ${describeCase({ path: pathFor(label, c), body: c.body, contentType: c.contentType })}`;
  const answer = await send(server.url, { method, path: pathFor(label, c), token, body: bodyBytes(c.body), contentType: c.contentType });
  if (route.anyMethod && answer.status === 405) {
    expect(answer.text, `${what} -> 405 says nothing more`).toBe("");
  } else if (route.notContract) {
    expect(answer.status, `${what} -> ${answer.status} ${answer.text.slice(0, 300)}`).toBeLessThan(500);
    expect(answer.text, `a leak in ${what}`).not.toMatch(/\n\s+at |node_modules|\/work\//);
  } else {
    const { ok, body } = expectContractAnswer(answer, what);
    await route.after?.(c, { status: answer.status, ok, body }, token);
  }
  cases += 1;
  if (cases % WITNESS_EVERY === 0) await watch.check(`${cases} cases (last: ${label})`);
}

describe("REST fuzz: every route answers a success or a contract error, and stays up", () => {
  test("the fuzz table covers every route handler under app/api and every contract route", () => {
    const fuzzed = new Set(LABELS.map(([label]) => label));
    const contract = ROUTES.map((r) => r.label.replace("/users/@me", "/users/{userId}").replace("/members/@me", "/members/{memberId}"));
    const missing = [...appRouteLabels(path.resolve(import.meta.dirname, "../..")), ...contract].filter((label) => !fuzzed.has(label));
    expect(missing).toEqual([]);
  });

  test.each(LABELS)("%s", async (label, share) => {
    const route = table[label]!;
    await fuzz(`rest ${label}`, fc.asyncProperty(restCase(route.shape), (c) => runCase(label, route, c)), runsFor(share));
  });

  test("a request head over Node's 16 KiB limit is refused by Node (431), and the server stays up", async () => {
    const answer = await send(server.url, { method: "GET", path: `/api/v1/servers?limit=${"9".repeat(20_000)}`, token: people.actor.token });
    expect(answer.status).toBe(431);
    await watch.check("an oversized request head");
  });

  test("afterwards: the observer still hears, and nothing is stored that was refused", async () => {
    await watch.check("the whole REST fuzz");
    // Each channel holds exactly the acknowledged messages (and the witness's), with their content.
    for (const [channelId, acked] of expected.messages) {
      const stored = await wholeHistory(api, people.actor.token, channelId);
      const want = new Map(acked);
      if (channelId === guild.channels[0]!.id) for (const [id, content] of watch.sent) want.set(id, content);
      expect(new Map(stored.map((m) => [m.id, m.content]))).toEqual(want);
    }
    const serversOf = async (who: TestUser) => new Set(((await api.get("/api/v1/servers", who.token)).body as Server[]).map((s) => s.id));
    expect(await serversOf(people.actor)).toEqual(expected.actorServers);
    expect(await serversOf(people.leaver)).toEqual(expected.leaverServers);
    const channelsOf = async (id: string) => new Set(((await api.get(`/api/v1/servers/${id}`, people.actor.token)).body.channels as Channel[]).map((c) => c.id));
    expect(await channelsOf(own.id)).toEqual(expected.ownChannels);
    expect(await channelsOf(guild.id)).toEqual(new Set(guild.channels.map((c) => c.id)));
    // Refused registrations made no account; the changer signs in with the last accepted password.
    for (const username of expected.refusedUsernames) {
      if (expected.registered.has(username)) continue;
      expect(await server.deps.metadata.findUserByUsername(username), `refused registration of ${JSON.stringify(username)}`).toBeNull();
    }
    const login = await api.post("/api/v1/auth/login", { username: people.changer.user.username, password: expected.changerPassword });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    // Read markers hold what the last accepted PUT answered, under the channel's own id.
    const states = (await api.get("/api/v1/users/@me/read-states", people.actor.token)).body as Array<{ channelId: string; lastReadId: string | null }>;
    for (const [channelId, marker] of expected.markers) expect(states.find((s) => s.channelId === channelId)?.lastReadId, `marker of ${channelId}`).toBe(marker.toString());
    console.log(`[fuzz] REST: ${cases} cases, ${[...expected.messages.values()].reduce((n, m) => n + m.size, 0)} messages acknowledged`);
  });
});
