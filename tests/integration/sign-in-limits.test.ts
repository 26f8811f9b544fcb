// Sign-in and gateway abuse limits (contract v2) with small values, as the environment would set
// them (LOGIN_FAILURES_PER_USERNAME, LOGIN_FAILURES_PER_IP, REGISTER_PER_IP_PER_HOUR,
// GATEWAY_EVENTS_PER_MINUTE, GATEWAY_HANDSHAKE_TIMEOUT_MS), behind one trusted proxy
// (TRUST_PROXY_HOPS=1) so each test can speak from addresses of its own.
import net from "node:net";
import { io } from "socket.io-client";
import WebSocket from "ws";
import { afterEach, expect, test } from "vitest";
import { apiClient, uniqueName, type ApiClient } from "../support/api";
import { emitWithAck, waitFor } from "../support/gateway";
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
  { limits: { loginFailuresPerUsername: 3, loginFailuresPerIp: 5, registrationsPerIpPerHour: 4, gatewayEventsPerMinute: 10 }, trustProxyHops: 1, handshakeTimeoutMs: 1_000 },
);
afterEach(() => sockets.closeAll());

const PASSWORD = "correct horse battery";
let nextAddress = 1;
/** A client address no other test uses. */
const address = () => `203.0.113.${nextAddress++}`;
const from = (ip: string) => ({ "x-forwarded-for": `198.51.100.7, ${ip}` });

async function register(ip: string, username = uniqueName()) {
  return api.request("POST", "/api/v1/auth/register", { body: { username, password: PASSWORD }, headers: from(ip) });
}
const login = (ip: string, username: string, password: string) => api.request("POST", "/api/v1/auth/login", { body: { username, password }, headers: from(ip) });

function expectRateLimited(res: { status: number; headers: Headers; body: any }) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe("RATE_LIMITED");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
}

test("after LOGIN_FAILURES_PER_USERNAME wrong passwords, that username waits, even with the right one, from any address", async () => {
  const { body } = await register(address());
  const { username } = body.user;
  for (let i = 0; i < 3; i++) expect((await login(address(), username, "wrong password")).status).toBe(401);
  expectRateLimited(await login(address(), username, "wrong password"));
  expectRateLimited(await login(address(), username, PASSWORD));
  // Another account is not affected.
  const other = (await register(address())).body.user.username;
  expect((await login(address(), other, PASSWORD)).status).toBe(200);
});

test("after LOGIN_FAILURES_PER_IP wrong passwords from one address, it waits whatever the username; others do not", async () => {
  const attacker = address();
  const victims = await Promise.all(Array.from({ length: 6 }, async () => (await register(address())).body.user.username as string));
  for (const name of victims.slice(0, 5)) expect((await login(attacker, name, "wrong password")).status).toBe(401);
  expectRateLimited(await login(attacker, victims[5]!, PASSWORD));
  expect((await login(address(), victims[5]!, PASSWORD)).status).toBe(200);
});

test("successful sign-ins spend no failure budget", async () => {
  const ip = address();
  const { username } = (await register(ip)).body.user;
  for (let i = 0; i < 8; i++) expect((await login(ip, username, PASSWORD)).status).toBe(200);
});

test("a wrong current password in a password change counts as a failed sign-in", async () => {
  const { user, token } = (await register(address())).body;
  const change = (currentPassword: string) => api.request("PUT", "/api/v1/users/@me/password", { token, body: { currentPassword, newPassword: "another long password" }, headers: from(address()) });
  for (let i = 0; i < 3; i++) expect((await change("wrong password")).status).toBe(403);
  expectRateLimited(await change(PASSWORD));
  expectRateLimited(await login(address(), user.username, PASSWORD));
});

test("REGISTER_PER_IP_PER_HOUR accounts per address; the next is RATE_LIMITED and not created", async () => {
  const ip = address();
  for (let i = 0; i < 4; i++) expect((await register(ip)).status).toBe(201);
  const name = uniqueName();
  expectRateLimited(await register(ip, name));
  expect((await login(address(), name, PASSWORD)).status).toBe(401);
  expect((await register(address())).status).toBe(201);
});

test("a client address claimed in X-Forwarded-For left of the trusted proxy's entry is not believed", async () => {
  const ip = address();
  for (let i = 0; i < 4; i++) expect((await register(ip)).status).toBe(201);
  const spoofed = await api.request("POST", "/api/v1/auth/register", { body: { username: uniqueName(), password: PASSWORD }, headers: { "x-forwarded-for": `${address()}, ${ip}` } });
  expectRateLimited(spoofed);
});

test("GATEWAY_EVENTS_PER_MINUTE client events per connection: the next is RATE_LIMITED, the connection stays", async () => {
  const { token } = (await register(address())).body;
  const socket = await sockets.connect({ token } as never);
  const server = (await api.post("/api/v1/servers", { name: "limits" }, token)).body;
  const channelId = server.channels[0].id;
  for (let i = 0; i < 10; i++) expect((await emitWithAck(socket, "typing:start", { channelId })).ok).toBe(true);
  const refused = await emitWithAck(socket, "message:send", { channelId, content: "over the budget" });
  expect(refused).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
  expect(socket.connected).toBe(true);
  // Nothing was stored by the refused event.
  const history = await api.get(`/api/v1/channels/${channelId}/messages`, token);
  expect(history.body).toEqual([]);
  // Another connection of the same user has its own budget.
  const second = await sockets.connect({ token } as never);
  expect((await emitWithAck(second, "typing:start", { channelId })).ok).toBe(true);
});

test("a WebSocket that never completes the Socket.IO handshake is closed after GATEWAY_HANDSHAKE_TIMEOUT_MS", async () => {
  const ws = new WebSocket(`${server.url.replace("http", "ws")}/gateway/?EIO=4&transport=websocket`);
  const opened = Date.now();
  const closedAt = await new Promise<number>((resolve, reject) => {
    ws.on("close", () => resolve(Date.now()));
    ws.on("error", reject);
  });
  expect(closedAt - opened).toBeLessThan(5_000);
});

test("a TCP connection that never sends a request is closed", async () => {
  const socket = net.connect(server.port, "127.0.0.1");
  let ended = false;
  socket.on("close", () => (ended = true));
  socket.on("error", () => {});
  await waitFor(() => ended, 8_000, "the idle connection to be closed");
});

test("a long-polling connection outlives the handshake timeout (its held requests are not idle sockets)", async () => {
  const { token } = (await register(address())).body;
  const socket = io(server.url, { path: "/gateway", transports: ["polling"], auth: { token }, reconnection: false, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("ready", () => resolve());
      socket.once("connect_error", reject);
    });
    let dropped = false;
    socket.on("disconnect", () => (dropped = true));
    await new Promise((r) => setTimeout(r, 3_000));
    expect(dropped).toBe(false);
    expect(socket.connected).toBe(true);
  } finally {
    socket.close();
  }
});
