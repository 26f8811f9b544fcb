// 413 PAYLOAD_TOO_LARGE, 429 RATE_LIMITED, and which error wins when several apply:
// 401 > 413 > 400 > 404 > 403 > 429.
import { describe, expect, test } from "vitest";
import { createServerAs, registerUser, type TestUser } from "../support/api";
import { connectClient, emitWithAck } from "../support/gateway";
import { callRoute, ROUTES } from "../support/routes";
import { serverForThisFile, type ParleyServer } from "../support/server";
import { expectError } from "../support/shapes";
import { buildWorld, newMember, type World } from "../support/world";

let server: ParleyServer;
let world: World;
serverForThisFile(async (started) => {
  server = started;
  world = await buildWorld(started);
});

const KIB16 = 16 * 1024;
/** A JSON object body of exactly `bytes` UTF-8 bytes. */
const jsonOfSize = (bytes: number, field = "content") => {
  const body = JSON.stringify({ [field]: "" });
  return JSON.stringify({ [field]: "a".repeat(bytes - body.length) });
};
const messagesOf = (channelId: string) => `/api/v1/channels/${channelId}/messages`;
const UNKNOWN = "9223372036854775807";

/** A user who owns a server and has just spent their whole message budget in it. */
async function rateLimitedUser(): Promise<{ user: TestUser; channelId: string }> {
  const user = await registerUser(world.api);
  const own = await createServerAs(world.api, user);
  const channelId = own.channels[0]!.id;
  for (let i = 0; i < 5; i++) expect((await world.api.post(messagesOf(channelId), { content: `m${i}` }, user.token)).status).toBe(201);
  return { user, channelId };
}

describe("413 PAYLOAD_TOO_LARGE for a body over 16 KiB", () => {
  const POSTS = ROUTES.filter((r) => r.method === "POST" || r.method === "PUT").map((r) => [r.label, r] as const);
  test.each(POSTS)("%s with 16 KiB + 1 byte", async (_label, spec) => {
    const res = await callRoute(world.api, spec, world.values, { token: world.owner.token, rawBody: jsonOfSize(KIB16 + 1) });
    expectError(res, 413, "PAYLOAD_TOO_LARGE");
  });

  test.each(POSTS)("%s with 16 KiB + 1 byte sent chunked, without a Content-Length", async (_label, spec) => {
    const res = await callRoute(world.api, spec, world.values, { token: world.owner.token, rawBody: jsonOfSize(KIB16 + 1), chunked: true });
    expectError(res, 413, "PAYLOAD_TOO_LARGE");
  });

  test("a body of exactly 16 KiB is read and judged on its content", async () => {
    const exactly = jsonOfSize(KIB16, "name");
    expect(Buffer.byteLength(exactly)).toBe(KIB16);
    const res = await world.api.request("POST", "/api/v1/servers", { token: world.owner.token, rawBody: exactly });
    expectError(res, 400, "VALIDATION_FAILED"); // a 16 000-character name is too long, but not too large
  });

  test("multi-byte characters count as bytes: 4100 emoji are over 16 KiB", async () => {
    const res = await world.api.post("/api/v1/servers", { name: "😀".repeat(4100) }, world.owner.token);
    expectError(res, 413, "PAYLOAD_TOO_LARGE");
  });
});

describe("429 RATE_LIMITED beyond 5 messages per user per second", () => {
  test("the sixth send within a second is refused with a Retry-After of whole seconds", async () => {
    const sender = await newMember(world);
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await world.api.post(messagesOf(world.general.id), { content: `burst ${i}` }, sender.token)).status);
    const sixth = await world.api.post(messagesOf(world.general.id), { content: "one too many" }, sender.token);
    expect(Date.now() - started, "the burst must fit in one second for this test to mean anything").toBeLessThan(1000);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    expectError(sixth, 429, "RATE_LIMITED");
    const retryAfter = sixth.headers.get("retry-after");
    expect(retryAfter).toMatch(/^[0-9]+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);

    const history = await world.api.get(`${messagesOf(world.general.id)}?limit=100`, sender.token);
    expect(history.body.filter((m: any) => m.author.id === sender.user.id).map((m: any) => m.content)).not.toContain("one too many");

    await new Promise((r) => setTimeout(r, Number(retryAfter) * 1000));
    expect((await world.api.post(messagesOf(world.general.id), { content: "patient" }, sender.token)).status).toBe(201);
  });

  test("retries of a stored send (same nonce) cost none of the budget", async () => {
    const sender = await newMember(world);
    const started = Date.now();
    const first = await world.api.post(messagesOf(world.general.id), { content: "once", nonce: "retry-me" }, sender.token);
    expect(first.status).toBe(201);
    for (let i = 0; i < 3; i++) {
      const retry = await world.api.post(messagesOf(world.general.id), { content: "once", nonce: "retry-me" }, sender.token);
      expect([retry.status, retry.body.id]).toEqual([200, first.body.id]);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await world.api.post(messagesOf(world.general.id), { content: `new ${i}` }, sender.token)).status);
    expect(Date.now() - started, "the sends must fit in one second for this test to mean anything").toBeLessThan(1000);
    expect(statuses).toEqual([201, 201, 201, 201]); // five new messages in all: within the limit
    expectError(await world.api.post(messagesOf(world.general.id), { content: "sixth" }, sender.token), 429, "RATE_LIMITED");
  });

  test("one user's burst does not limit another user", async () => {
    const [a, b] = await Promise.all([newMember(world), newMember(world)]);
    for (let i = 0; i < 5; i++) await world.api.post(messagesOf(world.general.id), { content: `a${i}` }, a.token);
    expect((await world.api.post(messagesOf(world.general.id), { content: "a again" }, a.token)).status).toBe(429);
    expect((await world.api.post(messagesOf(world.general.id), { content: "b" }, b.token)).status).toBe(201);
  });

  test("sends over REST and over the gateway share one budget", async () => {
    const sender = await newMember(world);
    const { socket } = await connectClient(server.url, sender.token);
    try {
      for (let i = 0; i < 3; i++) expect((await emitWithAck(socket, "message:send", { channelId: world.general.id, content: `gw${i}` })).ok).toBe(true);
      for (let i = 0; i < 2; i++) expect((await world.api.post(messagesOf(world.general.id), { content: `rest${i}` }, sender.token)).status).toBe(201);
      expectError(await world.api.post(messagesOf(world.general.id), { content: "sixth" }, sender.token), 429, "RATE_LIMITED");
      const ack = await emitWithAck(socket, "message:send", { channelId: world.general.id, content: "seventh" });
      expect(ack).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
    } finally {
      socket.close();
    }
  });
});

describe("when several errors apply, the first of 401, 413, 400, 404, 403, 429 wins", () => {
  const huge = jsonOfSize(KIB16 + 100);

  test.each([
    ["bad token + huge body -> 401", () => world.api.request("POST", "/api/v1/servers", { token: "forged", rawBody: huge }), 401, "UNAUTHORIZED"],
    ["no token + malformed id + huge body -> 401", () => world.api.request("POST", messagesOf("abc"), { rawBody: huge }), 401, "UNAUTHORIZED"],
    ["no token + unknown channel -> 401", () => world.api.get(messagesOf(UNKNOWN)), 401, "UNAUTHORIZED"],
    ["bad token + unknown invite code -> 401", () => world.api.get("/api/v1/invites/nope", "forged"), 401, "UNAUTHORIZED"],
    ["huge body + malformed id -> 413", () => world.api.request("POST", messagesOf("abc"), { token: world.owner.token, rawBody: huge }), 413, "PAYLOAD_TOO_LARGE"],
    ["huge body + unknown channel -> 413", () => world.api.request("POST", messagesOf(UNKNOWN), { token: world.owner.token, rawBody: huge }), 413, "PAYLOAD_TOO_LARGE"],
    ["huge body + not a member -> 413", () => world.api.request("POST", messagesOf(world.general.id), { token: world.outsider.token, rawBody: huge }), 413, "PAYLOAD_TOO_LARGE"],
    ["huge body + not the owner -> 413", () => world.api.request("POST", `/api/v1/servers/${world.guild.id}/channels`, { token: world.member.token, rawBody: huge }), 413, "PAYLOAD_TOO_LARGE"],
    ["huge body + malformed server id on a route without a body -> 413", () => world.api.request("POST", "/api/v1/servers/abc/invites", { token: world.owner.token, rawBody: huge }), 413, "PAYLOAD_TOO_LARGE"],
    ["malformed cursor + not a member -> 400", () => world.api.get(`${messagesOf(world.general.id)}?before=abc`, world.outsider.token), 400, "VALIDATION_FAILED"],
    ["invalid content + not a member -> 400", () => world.api.post(messagesOf(world.general.id), { content: "" }, world.outsider.token), 400, "VALIDATION_FAILED"],
    ["invalid content + unknown channel -> 400", () => world.api.post(messagesOf(UNKNOWN), { content: "   " }, world.owner.token), 400, "VALIDATION_FAILED"],
    ["invalid limit + unknown channel -> 400", () => world.api.get(`${messagesOf(UNKNOWN)}?limit=0`, world.owner.token), 400, "VALIDATION_FAILED"],
    ["invalid channel name + unknown server -> 400", () => world.api.post(`/api/v1/servers/${UNKNOWN}/channels`, { name: "bad!" }, world.owner.token), 400, "VALIDATION_FAILED"],
    ["invalid channel name + not the owner -> 400", () => world.api.post(`/api/v1/servers/${world.guild.id}/channels`, { name: "bad!" }, world.member.token), 400, "VALIDATION_FAILED"],
    ["non-JSON body + not a member -> 400", () => world.api.request("POST", messagesOf(world.general.id), { token: world.outsider.token, rawBody: "nope" }), 400, "VALIDATION_FAILED"],
    ["unknown channel + not a member of anything -> 404", () => world.api.post(messagesOf(UNKNOWN), { content: "hi" }, world.outsider.token), 404, "NOT_FOUND"],
    ["unknown server + leaving -> 404", () => world.api.delete(`/api/v1/servers/${UNKNOWN}/members/@me`, world.outsider.token), 404, "NOT_FOUND"],
    ["malformed id + owner leaving -> 400", () => world.api.delete("/api/v1/servers/abc/members/@me", world.owner.token), 400, "VALIDATION_FAILED"],
  ] as const)("%s", async (_what, call, status, code) => {
    expectError(await call(), status, code);
  });

  test.each([
    ["rate-limited + not a member -> 403", (_channelId: string, token: string) => world.api.post(messagesOf(world.general.id), { content: "hi" }, token), 403, "FORBIDDEN"],
    ["rate-limited + unknown channel -> 404", (_channelId: string, token: string) => world.api.post(messagesOf(UNKNOWN), { content: "hi" }, token), 404, "NOT_FOUND"],
    ["rate-limited + invalid content -> 400", (channelId: string, token: string) => world.api.post(messagesOf(channelId), { content: "" }, token), 400, "VALIDATION_FAILED"],
    ["rate-limited + malformed channel id -> 400", (_channelId: string, token: string) => world.api.post(messagesOf("1.5"), { content: "hi" }, token), 400, "VALIDATION_FAILED"],
  ] as const)("%s", async (_what, call, status, code) => {
    const { user, channelId } = await rateLimitedUser();
    expectError(await call(channelId, user.token), status, code);
    // The scenario held: the user was (and still is) over the limit.
    expectError(await world.api.post(messagesOf(channelId), { content: "check" }, user.token), 429, "RATE_LIMITED");
  });
});
