// Inputs an attacker sends on purpose (issue 12's probes): each gets the contract's answer,
// never a 500, and nothing is stored that should not be.
import { describe, expect, test } from "vitest";
import { apiClient, createServerAs, registerUser, uniqueName, type ApiClient } from "../support/api";
import { serverForThisFile } from "../support/server";

let api: ApiClient;
serverForThisFile((started) => {
  api = apiClient(started.url);
});

describe("names that are not text a person could type", () => {
  test.each([
    ["a NUL", "ali\u0000ce"],
    ["a bell (C0)", "ali\u0007ce"],
    ["a C1 control", "ali\u0085ce"],
    ["a right-to-left override", "gnp\u202Eexe"],
    ["a left-to-right isolate", "a\u2066b"],
    ["a right-to-left mark", "a\u200Fb"],
  ])("a display name with %s is 400 VALIDATION_FAILED, and no account is made", async (_, displayName) => {
    const username = uniqueName("ctl");
    const res = await api.post("/api/v1/auth/register", { username, password: "correct horse battery", displayName });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect((await api.post("/api/v1/auth/register", { username, password: "correct horse battery" })).status).toBe(201);
  });

  test("a server name with a right-to-left override is 400", async () => {
    const owner = await registerUser(api);
    const res = await api.post("/api/v1/servers", { name: "evil\u202Eserver" }, owner.token);
    expect(res.status).toBe(400);
    expect((await api.get("/api/v1/servers", owner.token)).body).toEqual([]);
  });

  test("ordinary Unicode names still work", async () => {
    const res = await api.post("/api/v1/auth/register", { username: uniqueName("uni"), password: "correct horse battery", displayName: "Zoë 李 🎉 عمر" });
    expect(res.status).toBe(201);
  });
});

describe("NUL and oversized values where the database looks them up", () => {
  test("a login with a NUL in the username is a plain 401, like any wrong pair", async () => {
    const res = await api.post("/api/v1/auth/login", { username: "ali\u0000ce", password: "correct horse battery" });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHORIZED");
  });

  test.each([["a NUL", "abc\u0000def"], ["10 KiB", "a".repeat(10_240)], ["unicode", "ünïcödé"]])("an invite code with %s is 404 NOT_FOUND, to preview and to accept", async (_, code) => {
    const user = await registerUser(api);
    const encoded = encodeURIComponent(code);
    const preview = await api.get(`/api/v1/invites/${encoded}`, user.token);
    expect([preview.status, preview.body.error?.code]).toEqual([404, "NOT_FOUND"]);
    const accept = await api.post(`/api/v1/invites/${encoded}`, {}, user.token);
    expect([accept.status, accept.body.error?.code]).toEqual([404, "NOT_FOUND"]);
  });

  test("a real invite still works", async () => {
    const [owner, guest] = [await registerUser(api), await registerUser(api)];
    const guild = await createServerAs(api, owner);
    const { code } = (await api.post(`/api/v1/servers/${guild.id}/invites`, {}, owner.token)).body;
    expect((await api.post(`/api/v1/invites/${code}`, {}, guest.token)).status).toBe(200);
  });
});
