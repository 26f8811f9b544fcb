// next-auth's routes (/api/auth/*) with a JSON-typed body that does not parse, or is not an
// object: the contract's 400 VALIDATION_FAILED, never a 500 (next-auth threw; found by the fuzz tier).
import { describe, expect, test } from "vitest";
import { apiClient, type ApiClient } from "../support/api";
import { serverForThisFile } from "../support/server";
import { expectError } from "../support/shapes";

let api: ApiClient;
serverForThisFile((started) => {
  api = apiClient(started.url);
});

describe("POST /api/auth/* with a JSON body next-auth cannot read", () => {
  test.each([
    ["/api/auth/callback/credentials", "[[["],
    ["/api/auth/callback/credentials", ""],
    ["/api/auth/signin", "{"],
    ["/api/auth/session", "null"],
    ["/api/auth/signout", "[1,2]"],
    ["/api/auth/nothing-here", "\"text\""],
  ])("%s with %j is 400 VALIDATION_FAILED", async (path, rawBody) => {
    const res = await api.request("POST", path, { rawBody, headers: { "content-type": "application/json" } });
    expectError(res, 400, "VALIDATION_FAILED");
  });

  test("a form body still reaches next-auth (a sign-in without its CSRF token is redirected, not refused)", async () => {
    const res = await api.request("POST", "/api/auth/callback/credentials", { rawBody: "username=a&password=b", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBeLessThan(500);
    expect(res.status).not.toBe(400);
  });

  test("a JSON object still reaches next-auth", async () => {
    const res = await api.request("POST", "/api/auth/callback/credentials", { body: { username: "a", password: "b" } });
    expect(res.status).toBeLessThan(500);
    expect(res.status).not.toBe(400);
  });
});
