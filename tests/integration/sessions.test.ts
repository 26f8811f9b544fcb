// Ending sign-ins (contract v2): logout ends the credential it is called with (bearer or cookie,
// and every renewal of that cookie) and closes its connections; a password change ends every
// sign-in of the user but the one it returns; next-auth's own sign-out ends the cookie too.
// Real server, real requests, real sockets.
import { expect, test } from "vitest";
import { apiClient, registerUser, type ApiClient } from "../support/api";
import { connectClient, handshakeError, waitFor } from "../support/gateway";
import { serverForThisFile, type ParleyServer } from "../support/server";

let server: ParleyServer;
let api: ApiClient;
serverForThisFile((started) => {
  server = started;
  api = apiClient(started.url);
});

const PASSWORD = "correct horse battery";
const login = async (username: string, password = PASSWORD) => (await api.post("/api/v1/auth/login", { username, password })).body.token as string;
const me = async (token: string) => (await api.get("/api/v1/users/@me", token)).status;
const closed = (socket: { connected: boolean }, what: string) => waitFor(() => !socket.connected, 5_000, what);

test("logout ends that sign-in at once, for REST and the gateway, and closes its connections", async () => {
  const user = await registerUser(api);
  const otherDevice = await login(user.user.username);
  const { socket } = await connectClient(server.url, user.token);
  const { socket: otherSocket } = await connectClient(server.url, otherDevice);
  try {
    const res = await api.post("/api/v1/auth/logout", {}, user.token);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(await me(user.token)).toBe(401);
    expect(await handshakeError(server.url, user.token)).toBe("UNAUTHORIZED");
    await closed(socket, "the logged-out connection to close");
    // The user's other sign-in is untouched.
    expect(await me(otherDevice)).toBe(200);
    expect(otherSocket.connected).toBe(true);
    expect((await api.post("/api/v1/auth/logout", {}, user.token)).status).toBe(401);
  } finally {
    socket.close();
    otherSocket.close();
  }
});

test("logout with the session cookie ends the cookie as cookie and as bearer", async () => {
  const user = await registerUser(api);
  const cookie = { cookie: `next-auth.session-token=${user.token}`, origin: server.url, "sec-fetch-site": "same-origin" };
  expect((await api.request("POST", "/api/v1/auth/logout", { headers: cookie })).status).toBe(204);
  expect((await api.request("GET", "/api/v1/users/@me", { headers: cookie })).status).toBe(401);
  expect(await me(user.token)).toBe(401);
});

test("a password change ends every sign-in but the one it returns; a wrong current password is FORBIDDEN", async () => {
  const user = await registerUser(api);
  const otherDevice = await login(user.user.username);
  const { socket } = await connectClient(server.url, otherDevice);
  try {
    const wrong = await api.request("PUT", "/api/v1/users/@me/password", { token: user.token, body: { currentPassword: "not my password", newPassword: "a brand new secret" } });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("FORBIDDEN");
    expect(await me(user.token)).toBe(200);

    const changed = await api.request("PUT", "/api/v1/users/@me/password", { token: user.token, body: { currentPassword: PASSWORD, newPassword: "a brand new secret" } });
    expect(changed.status).toBe(200);
    expect(typeof changed.body.token).toBe("string");
    expect(await me(changed.body.token)).toBe(200);
    expect(await me(user.token)).toBe(401);
    expect(await me(otherDevice)).toBe(401);
    await closed(socket, "the other device's connection to close");
    const { socket: fresh } = await connectClient(server.url, changed.body.token);
    fresh.close();

    expect((await api.post("/api/v1/auth/login", { username: user.user.username, password: PASSWORD })).status).toBe(401);
    expect(await me(await login(user.user.username, "a brand new secret"))).toBe(200);
  } finally {
    socket.close();
  }
});

test("a new password must be a valid password; the route is the signed-in user's own", async () => {
  const user = await registerUser(api);
  const short = await api.request("PUT", "/api/v1/users/@me/password", { token: user.token, body: { currentPassword: PASSWORD, newPassword: "short" } });
  expect(short.status).toBe(400);
  expect(short.body.error.code).toBe("VALIDATION_FAILED");
  const missing = await api.request("PUT", "/api/v1/users/@me/password", { token: user.token, body: { newPassword: "long enough password" } });
  expect(missing.status).toBe(400);
  const other = await api.request("PUT", `/api/v1/users/${user.user.id}/password`, { token: user.token, body: { currentPassword: PASSWORD, newPassword: "long enough password" } });
  expect(other.status).toBe(404);
  expect((await api.request("PUT", "/api/v1/users/@me/password", { body: { currentPassword: PASSWORD, newPassword: "long enough password" } })).status).toBe(401);
  expect(await me(user.token)).toBe(200);
});

test("next-auth's sign-out ends the cookie it was called with, everywhere", async () => {
  const user = await registerUser(api);
  const jar = new CookieJar();
  const csrf = await jar.fetch(`${server.url}/api/auth/csrf`).then((r) => r.json() as Promise<{ csrfToken: string }>);
  const form = (fields: Record<string, string>) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url }, body: new URLSearchParams(fields).toString(), redirect: "manual" as const });
  await jar.fetch(`${server.url}/api/auth/callback/credentials`, form({ csrfToken: csrf.csrfToken, username: user.user.username, password: PASSWORD, json: "true" }));
  const session = jar.get("next-auth.session-token");
  expect(session, "a session cookie after signing in").toBeTruthy();
  expect(await me(session!)).toBe(200);

  await jar.fetch(`${server.url}/api/auth/signout`, form({ csrfToken: csrf.csrfToken, json: "true" }));
  expect(await me(session!)).toBe(401);
  expect(await me(user.token)).toBe(200);
});

/** Just enough of a browser's cookie jar for next-auth's CSRF and session cookies. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  get(name: string) {
    return this.cookies.get(name);
  }
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, eq), decodeURIComponent(pair!.slice(eq + 1)));
    }
    return res;
  }
}
