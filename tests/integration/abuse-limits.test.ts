// Abuse limits (contract v2) with their own small values, as the environment would set them
// (MAX_SERVERS_PER_USER, MAX_CHANNELS_PER_SERVER, INVITES_PER_MEMBER_PER_HOUR,
// PRESENCE_SETS_PER_MINUTE): the call over the limit is RATE_LIMITED with a Retry-After, and
// nothing is made. Real server, real requests and sockets.
import { afterEach, expect, test } from "vitest";
import { apiClient, createServerAs, registerUser, type ApiClient } from "../support/api";
import { emitWithAck, handshakeError } from "../support/gateway";
import { socketPool } from "../support/scenario";
import { serverForThisFile, type ParleyServer } from "../support/server";

let server: ParleyServer;
let api: ApiClient;
const sockets = socketPool(() => server.url);
serverForThisFile(
  (started) => {
    server = started;
    api = apiClient(started.url);
  },
  { limits: { serversPerUser: 2, channelsPerServer: 3, invitesPerMemberPerHour: 2, presenceSetsPerMinute: 3 }, connectionsPerUser: 4 },
);
afterEach(() => sockets.closeAll());

function expectRateLimited(res: { status: number; headers: Headers; body: any }) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe("RATE_LIMITED");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
}

test("one person owns at most MAX_SERVERS_PER_USER servers", async () => {
  const owner = await registerUser(api);
  await createServerAs(api, owner, "one");
  await createServerAs(api, owner, "two");
  expectRateLimited(await api.post("/api/v1/servers", { name: "three" }, owner.token));
  expect((await api.get("/api/v1/servers", owner.token)).body).toHaveLength(2);
  // Someone else is not held back by it.
  expect((await api.post("/api/v1/servers", { name: "theirs" }, (await registerUser(api)).token)).status).toBe(201);
});

test("a server has at most MAX_CHANNELS_PER_SERVER channels (#general included)", async () => {
  const owner = await registerUser(api);
  const guild = await createServerAs(api, owner);
  for (const name of ["two", "three"]) expect((await api.post(`/api/v1/servers/${guild.id}/channels`, { name }, owner.token)).status).toBe(201);
  expectRateLimited(await api.post(`/api/v1/servers/${guild.id}/channels`, { name: "four" }, owner.token));
  expect((await api.get(`/api/v1/servers/${guild.id}`, owner.token)).body.channels).toHaveLength(3);
});

test("a member creates at most INVITES_PER_MEMBER_PER_HOUR invites", async () => {
  const owner = await registerUser(api);
  const guild = await createServerAs(api, owner);
  for (let i = 0; i < 2; i++) expect((await api.post(`/api/v1/servers/${guild.id}/invites`, {}, owner.token)).status).toBe(201);
  const refused = await api.post(`/api/v1/servers/${guild.id}/invites`, {}, owner.token);
  expectRateLimited(refused);
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3000);
});

test("presence:set at most PRESENCE_SETS_PER_MINUTE times a minute per user, across connections", async () => {
  const user = await registerUser(api);
  const [tab1, tab2] = [await sockets.connect(user), await sockets.connect(user)];
  for (const [tab, status] of [[tab1, "idle"], [tab2, "dnd"], [tab1, "online"]] as const) expect(await emitWithAck(tab, "presence:set", { status })).toEqual({ ok: true });
  const refused = await emitWithAck(tab2, "presence:set", { status: "invisible" });
  expect(refused.error.code).toBe("RATE_LIMITED");
  expect(await emitWithAck(tab2, "presence:set", { status: "bogus" })).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
});

test("a user holds at most CONNECTIONS_PER_USER gateway connections: the next handshake gets RATE_LIMITED, and one closing makes room", async () => {
  const user = await registerUser(api);
  const open = [];
  for (let i = 0; i < 4; i++) open.push(await sockets.connect(user));
  expect(await handshakeError(server.url, user.token)).toBe("RATE_LIMITED");
  // Someone else is not held back by it.
  await sockets.connect(await registerUser(api));
  open[0]!.close();
  await expect.poll(async () => (await server.deps.presence.liveConnections(user.user.id)) < 4, { timeout: 5_000 }).toBe(true);
  await sockets.connect(user);
});
