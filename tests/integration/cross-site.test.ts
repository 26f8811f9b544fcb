// Cross-site request forgery and WebSocket hijacking (contract v2): a request signed in by the
// session cookie is refused when the browser says it comes from another site (Origin,
// Sec-Fetch-Site); Parley's own pages and bearer tokens are unaffected. Real server, real
// HTTP requests and socket.io clients carrying the headers a browser would send.
import { describe, expect, test } from "vitest";
import { apiClient, createServerAs, registerUser, type ApiClient } from "../support/api";
import { connectClient, handshakeError } from "../support/gateway";
import { serverForThisFile, type ParleyServer } from "../support/server";

let server: ParleyServer;
let api: ApiClient;
serverForThisFile((started) => {
  server = started;
  api = apiClient(started.url);
});

const cookieOf = (token: string) => ({ cookie: `next-auth.session-token=${token}` });
const own = () => new URL(server.url).origin;

describe("REST signed in by the session cookie", () => {
  test.each([
    ["a foreign Origin", { origin: "http://evil.example" }],
    ["Origin null", { origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site (a sibling subdomain)", { "sec-fetch-site": "same-site" }],
  ])("from %s is 403 FORBIDDEN, and nothing is done", async (_, from) => {
    const owner = await registerUser(api);
    const guild = await createServerAs(api, owner);
    const channelId = guild.channels[0]!.id;
    const sent = await api.request("POST", `/api/v1/channels/${channelId}/messages`, { body: { content: "forged" }, headers: { ...cookieOf(owner.token), ...from } });
    expect(sent.status).toBe(403);
    expect(sent.body.error.code).toBe("FORBIDDEN");
    const created = await api.request("POST", "/api/v1/servers", { rawBody: JSON.stringify({ name: "forged" }), headers: { ...cookieOf(owner.token), ...from, "content-type": "text/plain" } });
    expect(created.status).toBe(403);
    const history = await api.get(`/api/v1/channels/${channelId}/messages`, owner.token);
    expect(history.body).toEqual([]);
    expect((await api.get("/api/v1/servers", owner.token)).body).toHaveLength(1);
  });

  test("from Parley's own pages (same Origin, Sec-Fetch-Site: same-origin) works", async () => {
    const owner = await registerUser(api);
    const res = await api.request("POST", "/api/v1/servers", { body: { name: "mine" }, headers: { ...cookieOf(owner.token), origin: own(), "sec-fetch-site": "same-origin" } });
    expect(res.status).toBe(201);
  });

  test("a bearer token is not checked: other sites' scripts cannot send it on a victim's behalf", async () => {
    const owner = await registerUser(api);
    const res = await api.request("POST", "/api/v1/servers", { body: { name: "api client" }, token: owner.token, headers: { origin: "http://elsewhere.example", "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(201);
  });
});

describe("gateway handshake with the session cookie", () => {
  test("from a foreign Origin is refused with UNAUTHORIZED", async () => {
    const user = await registerUser(api);
    expect(await handshakeError(server.url, undefined, { extraHeaders: { ...cookieOf(user.token), Origin: "http://evil.example" } })).toBe("UNAUTHORIZED");
  });

  test("from Parley's own origin gets ready", async () => {
    const user = await registerUser(api);
    const { socket, ready } = await connectClient(server.url, undefined, { extraHeaders: { ...cookieOf(user.token), Origin: own() } });
    socket.close();
    expect(ready.user.id).toBe(user.user.id);
  });

  test("a token in the handshake's auth is not checked", async () => {
    const user = await registerUser(api);
    const { socket, ready } = await connectClient(server.url, user.token, { extraHeaders: { Origin: "http://elsewhere.example" } });
    socket.close();
    expect(ready.user.id).toBe(user.user.id);
  });
});
