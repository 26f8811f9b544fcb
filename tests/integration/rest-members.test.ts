// Members of a server over REST: paging by user id, presence, and leaving.
import { beforeAll, describe, expect, test } from "vitest";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient, type TestUser } from "../support/api";
import { connectClient, emitWithAck } from "../support/gateway";
import { serverForThisFile, type ParleyServer } from "../support/server";
import { expectError, expectMember } from "../support/shapes";

let server: ParleyServer;
let api: ApiClient;
serverForThisFile((started) => {
  server = started;
  api = apiClient(started.url);
});

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

describe("members", () => {
  let owner: TestUser;
  let users: TestUser[];
  let guildId: string;
  beforeAll(async () => {
    owner = await registerUser(api);
    const guild = await createServerAs(api, owner);
    guildId = guild.id;
    const joiners = await Promise.all(Array.from({ length: 6 }, () => registerUser(api)));
    for (const joiner of joiners) await joinServer(api, guild, owner, joiner);
    users = [owner, ...joiners];
  });

  test("are listed ordered by user id, each with joinedAt and status", async () => {
    const res = await api.get(`/api/v1/servers/${guildId}/members`, owner.token);
    expect(res.status).toBe(200);
    res.body.forEach(expectMember);
    expect(res.body.map((m: any) => m.user.id)).toEqual(users.map((u) => u.user.id).sort(byId));
  });

  test("page with limit and after, every member exactly once", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await api.get(`/api/v1/servers/${guildId}/members?limit=2${after ? `&after=${after}` : ""}`, owner.token);
      expect(page.status).toBe(200);
      expect(page.body.length).toBeLessThanOrEqual(2);
      if (page.body.length === 0) break;
      seen.push(...page.body.map((m: any) => m.user.id));
      after = seen.at(-1);
    }
    expect(seen).toEqual(users.map((u) => u.user.id).sort(byId));
  });

  test("after need not be a member's id", async () => {
    const ids = users.map((u) => u.user.id).sort(byId);
    const between = (BigInt(ids[2]!) + 1n).toString();
    const page = await api.get(`/api/v1/servers/${guildId}/members?after=${between}`, owner.token);
    expect(page.body.map((m: any) => m.user.id)).toEqual(ids.slice(3));
    expect((await api.get(`/api/v1/servers/${guildId}/members?after=0&limit=1`, owner.token)).body.map((m: any) => m.user.id)).toEqual([ids[0]]);
  });

  test("show who is online, and an invisible user as offline", async () => {
    const [visible, hidden] = [users[1]!, users[2]!];
    const a = await connectClient(server.url, visible.token);
    const b = await connectClient(server.url, hidden.token);
    try {
      expect((await emitWithAck(b.socket, "presence:set", { status: "invisible" })).ok).toBe(true);
      const statusOf = async (u: TestUser) =>
        (await api.get(`/api/v1/servers/${guildId}/members`, owner.token)).body.find((m: any) => m.user.id === u.user.id).status;
      // `ready` and the presence:set ack come after the status is stored: no waiting needed.
      expect(await statusOf(visible)).toBe("online");
      expect(await statusOf(hidden)).toBe("offline");
      expect(await statusOf(users[3]!)).toBe("offline");
    } finally {
      a.socket.close();
      b.socket.close();
    }
  });
});

describe("a large server", () => {
  test("pages hold 100 members by default and up to 1000 on request", async () => {
    const owner = await registerUser(api);
    const guild = await createServerAs(api, owner);
    // Seeded through the stores: 120 registrations would spend seconds on password hashing.
    for (let i = 0; i < 120; i++) {
      const id = server.deps.ids.next();
      await server.deps.metadata.createUser({ id, username: `bulk_${id}`.slice(0, 32), displayName: `Bulk ${i}`, passwordHash: "unused" });
      await server.deps.metadata.addMember(guild.id, id, new Date());
    }
    const everyone = await api.get(`/api/v1/servers/${guild.id}/members?limit=1000`, owner.token);
    expect(everyone.body).toHaveLength(121);
    const ids = everyone.body.map((m: any) => m.user.id);
    expect(ids).toEqual([...ids].sort(byId));
    const first = await api.get(`/api/v1/servers/${guild.id}/members`, owner.token);
    expect(first.body.map((m: any) => m.user.id)).toEqual(ids.slice(0, 100));
    const rest = await api.get(`/api/v1/servers/${guild.id}/members?after=${ids[99]}`, owner.token);
    expect(rest.body.map((m: any) => m.user.id)).toEqual(ids.slice(100));
  });
});

describe("leaving", () => {
  test("answers 204; afterwards the server is out of reach and out of the lists", async () => {
    const [ada, bob] = await Promise.all([registerUser(api), registerUser(api)]);
    const guild = await createServerAs(api, ada);
    await joinServer(api, guild, ada, bob);
    const left = await api.delete(`/api/v1/servers/${guild.id}/members/@me`, bob.token);
    expect(left.status).toBe(204);
    expect(left.body).toBeUndefined();

    expectError(await api.get(`/api/v1/servers/${guild.id}`, bob.token), 403, "FORBIDDEN");
    expectError(await api.get(`/api/v1/channels/${guild.channels[0]!.id}/messages`, bob.token), 403, "FORBIDDEN");
    expectError(await api.post(`/api/v1/channels/${guild.channels[0]!.id}/messages`, { content: "hi" }, bob.token), 403, "FORBIDDEN");
    expectError(await api.get(`/api/v1/servers/${guild.id}/members`, bob.token), 403, "FORBIDDEN");
    expectError(await api.delete(`/api/v1/servers/${guild.id}/members/@me`, bob.token), 403, "FORBIDDEN");
    expect((await api.get("/api/v1/servers", bob.token)).body).toEqual([]);
    expect((await api.get(`/api/v1/servers/${guild.id}/members`, ada.token)).body.map((m: any) => m.user.id)).toEqual([ada.user.id]);
  });

  test("the owner cannot leave (409), and stays a member", async () => {
    const ada = await registerUser(api);
    const guild = await createServerAs(api, ada);
    expectError(await api.delete(`/api/v1/servers/${guild.id}/members/@me`, ada.token), 409, "CONFLICT");
    expect((await api.get(`/api/v1/servers/${guild.id}/members`, ada.token)).body).toHaveLength(1);
  });

  test("a user who left can come back through an invite", async () => {
    const [ada, bob] = await Promise.all([registerUser(api), registerUser(api)]);
    const guild = await createServerAs(api, ada);
    await joinServer(api, guild, ada, bob);
    expect((await api.delete(`/api/v1/servers/${guild.id}/members/@me`, bob.token)).status).toBe(204);
    await joinServer(api, guild, ada, bob);
    expect((await api.get(`/api/v1/servers/${guild.id}`, bob.token)).status).toBe(200);
  });
});
