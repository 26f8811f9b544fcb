// Every REST route of the contract: its success status and shape, then 401, 403, 404 and 409.
// (400 lives in rest-errors-validation, 413/429 and precedence in rest-errors-limits.)
import { beforeAll, describe, expect, test } from "vitest";
import { registerUser, uniqueName } from "../support/api";
import { AUTHENTICATED_ROUTES, callRoute, ID_ROUTES, ROUTES, type PathValues } from "../support/routes";
import { serverForThisFile, type ParleyServer } from "../support/server";
import { expectChannel, expectError, expectFreshSnowflake, expectMember, expectMessage, expectServer, expectUser } from "../support/shapes";
import { buildWorld, newMember, refusedTokens, type World } from "../support/world";

let server: ParleyServer;
let world: World;
serverForThisFile(async (started) => {
  server = started;
  world = await buildWorld(started);
});

interface SuccessCase {
  status: number;
  /** Who calls and with what; the owner on the world's server by default. */
  arrange?: (w: World) => Promise<{ token?: string; values?: Partial<PathValues>; body?: unknown }>;
  check: (body: any, w: World) => void;
}

const SUCCESS: Record<string, SuccessCase> = {
  "POST /api/v1/auth/register": {
    status: 201,
    check: (body) => {
      expect(Object.keys(body).sort()).toEqual(["token", "user"]);
      expectUser(body.user);
      expect(body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    },
  },
  "POST /api/v1/auth/login": {
    status: 200,
    arrange: async (w) => ({ body: { username: w.owner.user.username, password: "correct horse battery" } }),
    check: (body, w) => {
      expect(Object.keys(body).sort()).toEqual(["token", "user"]);
      expect(body.user).toEqual(w.owner.user);
      expect(body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    },
  },
  "GET /api/v1/users/@me": { status: 200, check: (body, w) => expect(body).toEqual(w.owner.user) },
  // Someone of their own: these end the sign-in they are called with.
  "POST /api/v1/auth/logout": {
    status: 204,
    arrange: async (w) => ({ token: (await registerUser(w.api)).token }),
    check: (body) => expect(body).toBeUndefined(),
  },
  "PUT /api/v1/users/@me/password": {
    status: 200,
    arrange: async (w) => ({ token: (await registerUser(w.api)).token }),
    check: (body) => {
      expect(Object.keys(body)).toEqual(["token"]);
      expect(body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    },
  },
  // The embedded node alone, without PUBLIC_URL: the origin the client reached it on.
  "GET /api/v1/gateway": { status: 200, check: (body) => expect(body).toEqual({ url: server.url }) },
  "POST /api/v1/servers": {
    status: 201,
    check: (body, w) => {
      expectServer(body);
      expectFreshSnowflake(body.id);
      expect(body).toMatchObject({ name: "A server", ownerId: w.owner.user.id });
      expect(body.channels.map((c: any) => [c.name, c.position])).toEqual([["general", 0]]);
    },
  },
  "GET /api/v1/servers": {
    status: 200,
    check: (body, w) => {
      expect(Array.isArray(body)).toBe(true);
      body.forEach(expectServer);
      expect(body.map((s: any) => s.id)).toContain(w.guild.id);
    },
  },
  "GET /api/v1/servers/{serverId}": {
    status: 200,
    check: (body, w) => {
      expectServer(body);
      expect(body).toMatchObject({ id: w.guild.id, name: w.guild.name, ownerId: w.owner.user.id });
    },
  },
  "POST /api/v1/servers/{serverId}/channels": {
    status: 201,
    check: (body, w) => {
      expectChannel(body);
      expect(body).toMatchObject({ serverId: w.guild.id, name: "a-channel", type: "text" });
      expect(body.position).toBeGreaterThan(0);
    },
  },
  "POST /api/v1/servers/{serverId}/invites": {
    status: 201,
    check: (body, w) => {
      expect(Object.keys(body).sort()).toEqual(["code", "serverId"]);
      expect(body.serverId).toBe(w.guild.id);
      expect(typeof body.code).toBe("string");
      expect(body.code.length).toBeGreaterThan(0);
    },
  },
  "GET /api/v1/invites/{code}": {
    status: 200,
    check: (body, w) => {
      expect(Object.keys(body).sort()).toEqual(["code", "server"]);
      expect(body.code).toBe(w.invite);
      expect(Object.keys(body.server).sort()).toEqual(["id", "memberCount", "name"]);
      expect(body.server).toMatchObject({ id: w.guild.id, name: w.guild.name });
      expect(Number.isInteger(body.server.memberCount)).toBe(true);
    },
  },
  "POST /api/v1/invites/{code}": {
    status: 200,
    arrange: async (w) => ({ token: (await registerUser(w.api)).token }),
    check: (body, w) => {
      expectServer(body);
      expect(body.id).toBe(w.guild.id);
    },
  },
  "DELETE /api/v1/servers/{serverId}/members/@me": {
    status: 204,
    arrange: async (w) => ({ token: (await newMember(w)).token }),
    check: (body) => expect(body).toBeUndefined(),
  },
  "GET /api/v1/servers/{serverId}/members": {
    status: 200,
    check: (body, w) => {
      expect(Array.isArray(body)).toBe(true);
      body.forEach(expectMember);
      expect(body.map((m: any) => m.user.id)).toEqual(expect.arrayContaining([w.owner.user.id, w.member.user.id]));
    },
  },
  "POST /api/v1/channels/{channelId}/messages": {
    status: 201,
    arrange: async (w) => ({ token: w.member.token }),
    check: (body, w) => {
      expectMessage(body, { nonce: false });
      expectFreshSnowflake(body.id);
      expect(body).toMatchObject({ channelId: w.general.id, serverId: w.guild.id, author: w.member.user, content: "hello" });
    },
  },
  "GET /api/v1/channels/{channelId}/messages": {
    status: 200,
    check: (body) => {
      expect(Array.isArray(body)).toBe(true);
      expect(body.length).toBeGreaterThan(0);
      body.forEach((m: any) => expectMessage(m));
    },
  },
};

describe("every route answers its success status and shape", () => {
  test("the table covers every route of the spec", () => {
    expect(Object.keys(SUCCESS).sort()).toEqual(ROUTES.map((r) => r.label).sort());
  });

  test.each(ROUTES.map((r) => [r.label, r] as const))("%s", async (label, spec) => {
    const { status, arrange, check } = SUCCESS[label]!;
    const setup = (await arrange?.(world)) ?? {};
    const token = spec.public ? undefined : (setup.token ?? world.owner.token);
    const res = await callRoute(world.api, spec, { ...world.values, ...setup.values }, { token, ...("body" in setup ? { body: setup.body } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    check(res.body, world);
  });
});

describe("401 UNAUTHORIZED without valid credentials", () => {
  const KINDS = ["no token", "an empty bearer", "a Basic header", ...["a garbage token", "a token signed with another secret", "an expired token", "an unsigned (alg none) token", "a token whose payload was altered", "a token for a user who does not exist"]];
  const headersFor = new Map<string, Record<string, string>>();
  beforeAll(async () => {
    headersFor.set("no token", {});
    headersFor.set("an empty bearer", { authorization: "Bearer " });
    headersFor.set("a Basic header", { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` });
    for (const [kind, token] of await refusedTokens(server, world.owner.user.id)) headersFor.set(kind, { authorization: `Bearer ${token}` });
  });

  test("every kind of refused credential is prepared", () => expect([...headersFor.keys()].sort()).toEqual([...KINDS].sort()));

  test.each(AUTHENTICATED_ROUTES.flatMap((r) => KINDS.map((kind) => [r.label, kind, r] as const)))("%s with %s", async (_label, kind, spec) => {
    const path = spec.template.replace("{serverId}", world.guild.id).replace("{channelId}", world.general.id).replace("{code}", world.invite);
    const body = spec.body?.();
    const res = await world.api.request(spec.method, path, { headers: headersFor.get(kind)!, body });
    expectError(res, 401, "UNAUTHORIZED");
  });

  test("the next-auth session cookie is accepted wherever a token is, and a bad one is refused", async () => {
    const ok = await world.api.request("GET", "/api/v1/users/@me", { headers: { cookie: `next-auth.session-token=${world.owner.token}` } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(world.owner.user);
    const bad = await world.api.request("GET", "/api/v1/users/@me", { headers: { cookie: "next-auth.session-token=forged" } });
    expectError(bad, 401, "UNAUTHORIZED");
  });
});

describe("403 FORBIDDEN for the signed-in but not allowed", () => {
  const OUTSIDER_ROUTES = ID_ROUTES.map((r) => [r.label, r] as const);
  test.each(OUTSIDER_ROUTES)("%s by a user who is not a member", async (_label, spec) => {
    expectError(await callRoute(world.api, spec, world.values, { token: world.outsider.token }), 403, "FORBIDDEN");
  });

  test("a member who is not the owner cannot create a channel", async () => {
    const res = await world.api.post(`/api/v1/servers/${world.guild.id}/channels`, { name: "mine" }, world.member.token);
    expectError(res, 403, "FORBIDDEN");
  });
});

describe("404 NOT_FOUND for well-formed names of nothing", () => {
  const UNKNOWN_IDS = ["0", "1", "9223372036854775807", "00000000000000000001"];
  test.each(ID_ROUTES.flatMap((r) => UNKNOWN_IDS.map((id) => [r.label, id, r] as const)))("%s with the unknown id %s", async (_label, id, spec) => {
    const res = await callRoute(world.api, spec, { [spec.idParam!]: id }, { token: world.owner.token });
    expectError(res, 404, "NOT_FOUND");
  });

  test.each(ID_ROUTES.map((r) => [r.label, r] as const))("%s with the id of the other kind of thing", async (_label, spec) => {
    // A server id where a channel id belongs and the other way round.
    const id = spec.idParam === "serverId" ? world.general.id : world.guild.id;
    expectError(await callRoute(world.api, spec, { [spec.idParam!]: id }, { token: world.owner.token }), 404, "NOT_FOUND");
  });

  const INVITE_ROUTES = ROUTES.filter((r) => r.template.includes("{code}"));
  const UNKNOWN_CODES = ["nope", "0", "-1", "x".repeat(200), "ünïcödé 😀", "a/b", "with space", "100%", "?x=1#y", "the case-flipped real code"];
  test.each(INVITE_ROUTES.flatMap((r) => UNKNOWN_CODES.map((code) => [r.label, code, r] as const)))("%s with the unknown code %s", async (_label, code, spec) => {
    const flipped = [...world.invite].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join("");
    const actual = code === "the case-flipped real code" ? flipped : code;
    expect(actual).not.toBe(world.invite);
    expectError(await callRoute(world.api, spec, { code: actual }, { token: world.outsider.token }), 404, "NOT_FOUND");
  });
});

describe("409 CONFLICT", () => {
  test.each([
    ["exactly", (name: string) => name],
    ["in another case", (name: string) => name.toUpperCase()],
  ])("registering a taken username %s", async (_how, spell) => {
    const username = uniqueName("taken");
    await registerUser(world.api, username);
    const res = await world.api.post("/api/v1/auth/register", { username: spell(username), password: "another password" });
    expectError(res, 409, "CONFLICT");
  });

  test("the owner leaving their own server", async () => {
    expectError(await world.api.delete(`/api/v1/servers/${world.guild.id}/members/@me`, world.owner.token), 409, "CONFLICT");
    expect((await world.api.get(`/api/v1/servers/${world.guild.id}`, world.owner.token)).status).toBe(200);
  });
});
