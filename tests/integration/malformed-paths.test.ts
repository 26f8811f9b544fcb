// A path whose percent-encoding does not decode (a lone "%", "%zz", bytes that are not UTF-8)
// is the contract's 400 VALIDATION_FAILED on every /api/v1 route, never a 500 (found by the fuzz tier).
import { describe, expect, test } from "vitest";
import { apiClient, createServerAs, registerUser, type ApiClient, type TestUser } from "../support/api";
import { serverForThisFile } from "../support/server";
import { expectError } from "../support/shapes";

let api: ApiClient;
let user: TestUser;
let serverId: string;
serverForThisFile(async (started) => {
  api = apiClient(started.url);
  user = await registerUser(api);
  serverId = (await createServerAs(api, user)).id;
});

const BROKEN = ["%", "%zz", "%FF", "%ED%A0%80", "%F0%9F", "abc%"];

describe("paths that are not valid percent-encoding", () => {
  test.each(BROKEN)("GET /api/v1/servers/{serverId} with %s", async (segment) => {
    expectError(await api.get(`/api/v1/servers/${segment}`, user.token), 400, "VALIDATION_FAILED");
  });

  test.each(BROKEN)("GET and POST /api/v1/invites/{code} with %s", async (segment) => {
    expectError(await api.get(`/api/v1/invites/${segment}`, user.token), 400, "VALIDATION_FAILED");
    expectError(await api.post(`/api/v1/invites/${segment}`, {}, user.token), 400, "VALIDATION_FAILED");
  });

  test.each(BROKEN)("the hot message routes and unknown paths with %s", async (segment) => {
    expectError(await api.get(`/api/v1/channels/${segment}/messages`, user.token), 400, "VALIDATION_FAILED");
    expectError(await api.post(`/api/v1/channels/${segment}/messages`, { content: "hi" }, user.token), 400, "VALIDATION_FAILED");
    expectError(await api.get(`/api/v1/nothing/${segment}`, user.token), 400, "VALIDATION_FAILED");
  });

  test("a broken segment after a valid id is refused too, and nothing is left", async () => {
    expectError(await api.delete(`/api/v1/servers/${serverId}/members/%40me%`, user.token), 400, "VALIDATION_FAILED");
    expect((await api.get(`/api/v1/servers/${serverId}`, user.token)).status).toBe(200);
  });

  test("well-formed encoding still decodes: %40me is @me", async () => {
    expect((await api.get("/api/v1/users/%40me", user.token)).status).toBe(200);
  });
});
