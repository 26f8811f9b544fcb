// The REST contract's happy paths, end to end: accounts, servers and channels, invites.
// (Members and leaving are in rest-members.test.ts, messages in rest-messages.test.ts.)
import { describe, expect, test } from "vitest";
import { apiClient, createServerAs, joinServer, registerUser, uniqueName, type ApiClient } from "../support/api";
import { serverForThisFile, type ParleyServer } from "../support/server";
import { expectError, expectServer, expectUser } from "../support/shapes";

let server: ParleyServer;
let api: ApiClient;
serverForThisFile((started) => {
  server = started;
  api = apiClient(started.url);
});

describe("accounts", () => {
  test("registering folds the username to lower case and defaults displayName to it", async () => {
    const name = uniqueName("MiXeD");
    const res = await api.post("/api/v1/auth/register", { username: name, password: "correct horse battery" });
    expect(res.status).toBe(201);
    expectUser(res.body.user);
    expect(res.body.user.username).toBe(name.toLowerCase());
    expect(res.body.user.displayName).toBe(name.toLowerCase());
  });

  test("of two registrations racing for one name in different cases, one wins and the other gets 409", async () => {
    const name = uniqueName("race");
    const [a, b] = await Promise.all([
      api.post("/api/v1/auth/register", { username: name, password: "correct horse battery" }),
      api.post("/api/v1/auth/register", { username: name.toUpperCase(), password: "correct horse battery" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expectError(a.status === 409 ? a : b, 409, "CONFLICT");
  });

  test("a displayName is stored trimmed", async () => {
    const res = await api.post("/api/v1/auth/register", { username: uniqueName(), password: "correct horse battery", displayName: "  Ada Lovelace \t" });
    expect(res.status).toBe(201);
    expect(res.body.user.displayName).toBe("Ada Lovelace");
  });

  test("the token from registering names the new user at /users/@me", async () => {
    const ada = await registerUser(api);
    const me = await api.get("/api/v1/users/@me", ada.token);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(ada.user);
  });

  test("logging in, in any letter case, gives the same user and a working token", async () => {
    const ada = await registerUser(api, uniqueName("ada"), "s3cret password");
    const res = await api.post("/api/v1/auth/login", { username: ada.user.username.toUpperCase(), password: "s3cret password" });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual(ada.user);
    expect((await api.get("/api/v1/users/@me", res.body.token)).body).toEqual(ada.user);
  });

  test("a wrong password and an unknown user get the very same 401", async () => {
    const ada = await registerUser(api, uniqueName("ada"), "s3cret password");
    const wrongPassword = await api.post("/api/v1/auth/login", { username: ada.user.username, password: "not the password" });
    const unknownUser = await api.post("/api/v1/auth/login", { username: uniqueName("ghost"), password: "not the password" });
    expectError(wrongPassword, 401, "UNAUTHORIZED");
    expectError(unknownUser, 401, "UNAUTHORIZED");
    expect(unknownUser.body).toEqual(wrongPassword.body);
  });
});

describe("servers and channels", () => {
  test("creating a server makes the caller its owner and member, with #general at position 0", async () => {
    const ada = await registerUser(api);
    const res = await api.post("/api/v1/servers", { name: "  Ada's place  " }, ada.token);
    expect(res.status).toBe(201);
    expectServer(res.body);
    expect(res.body).toMatchObject({ name: "Ada's place", ownerId: ada.user.id });
    expect(res.body.channels).toEqual([{ id: expect.any(String), serverId: res.body.id, name: "general", type: "text", position: 0 }]);
    expect((await api.get(`/api/v1/servers/${res.body.id}`, ada.token)).body).toEqual(res.body);
    const members = await api.get(`/api/v1/servers/${res.body.id}/members`, ada.token);
    expect(members.body.map((m: any) => m.user)).toEqual([ada.user]);
  });

  test("GET /servers lists exactly the caller's servers", async () => {
    const [ada, bob] = await Promise.all([registerUser(api), registerUser(api)]);
    expect((await api.get("/api/v1/servers", ada.token)).body).toEqual([]);
    const first = await createServerAs(api, ada, "first");
    const second = await createServerAs(api, ada, "second");
    const bobs = await createServerAs(api, bob, "bob's");
    const listed = (await api.get("/api/v1/servers", ada.token)).body;
    expect(listed.map((s: any) => s.id).sort()).toEqual([first.id, second.id].sort());
    await joinServer(api, bobs, bob, ada);
    expect((await api.get("/api/v1/servers", ada.token)).body.map((s: any) => s.id)).toContain(bobs.id);
  });

  test("channel names are lower-cased with spaces as dashes, and positions grow", async () => {
    const ada = await registerUser(api);
    const guild = await createServerAs(api, ada);
    const made = [];
    for (const name of ["My Channel", "  Off Topic  ", "dev_chat-2"]) {
      const res = await api.post(`/api/v1/servers/${guild.id}/channels`, { name }, ada.token);
      expect(res.status).toBe(201);
      made.push(res.body);
    }
    expect(made.map((c) => c.name)).toEqual(["my-channel", "off-topic", "dev_chat-2"]);
    expect(made.map((c) => c.position)).toEqual([1, 2, 3]);
    const fetched = (await api.get(`/api/v1/servers/${guild.id}`, ada.token)).body;
    expect(fetched.channels.map((c: any) => c.name)).toEqual(["general", "my-channel", "off-topic", "dev_chat-2"]);
    expect(fetched.channels.map((c: any) => c.position)).toEqual([0, 1, 2, 3]);
  });

  test("channels created at the same moment all succeed, at distinct positions", async () => {
    const ada = await registerUser(api);
    const guild = await createServerAs(api, ada);
    const made = await Promise.all(Array.from({ length: 8 }, (_, i) => api.post(`/api/v1/servers/${guild.id}/channels`, { name: `burst-${i}` }, ada.token)));
    expect(made.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(made.map((r) => r.body.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test("a member who is not the owner cannot create a channel, and none appears", async () => {
    const [ada, bob] = await Promise.all([registerUser(api), registerUser(api)]);
    const guild = await createServerAs(api, ada);
    await joinServer(api, guild, ada, bob);
    expectError(await api.post(`/api/v1/servers/${guild.id}/channels`, { name: "bobs" }, bob.token), 403, "FORBIDDEN");
    expect((await api.get(`/api/v1/servers/${guild.id}`, bob.token)).body.channels.map((c: any) => c.name)).toEqual(["general"]);
  });
});

describe("invites", () => {
  test("any signed-in user previews an invite with the member count; joining twice is fine", async () => {
    const [ada, bob] = await Promise.all([registerUser(api), registerUser(api)]);
    const guild = await createServerAs(api, ada, "Preview me");
    const invite = await api.post(`/api/v1/servers/${guild.id}/invites`, {}, ada.token);
    expect(invite.status).toBe(201);
    const preview = await api.get(`/api/v1/invites/${invite.body.code}`, bob.token);
    expect(preview.body).toEqual({ code: invite.body.code, server: { id: guild.id, name: "Preview me", memberCount: 1 } });

    const joined = await api.post(`/api/v1/invites/${invite.body.code}`, {}, bob.token);
    expect(joined.status).toBe(200);
    expect(joined.body).toEqual(guild);
    const again = await api.post(`/api/v1/invites/${invite.body.code}`, {}, bob.token);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(guild.id);
    expect((await api.get(`/api/v1/invites/${invite.body.code}`, bob.token)).body.server.memberCount).toBe(2);
    expect((await api.get(`/api/v1/servers/${guild.id}/members`, ada.token)).body).toHaveLength(2);
  });

  test("any member, not only the owner, can make an invite", async () => {
    const [ada, bob, cy] = await Promise.all([registerUser(api), registerUser(api), registerUser(api)]);
    const guild = await createServerAs(api, ada);
    await joinServer(api, guild, ada, bob);
    await joinServer(api, guild, bob, cy);
    expect((await api.get(`/api/v1/servers/${guild.id}`, cy.token)).status).toBe(200);
  });
});
