// The real production server keeps accounts, servers, messages and tokens across restarts of
// the same data dir, and refuses to share that data dir with a second live process.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { apiClient, createServerAs, joinServer, registerUser, type TestUser } from "../support/api";
import { freePort, killAll, spawnServer, stopServer, waitUntilHealthy, type ServerProcess } from "../support/process";

const started: ServerProcess[] = [];
const dataDirs: string[] = [];

function freshDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "parley-restart-"));
  dataDirs.push(dir);
  return dir;
}

async function start(dataDir: string, port: number): Promise<ServerProcess> {
  const proc = spawnServer(dataDir, port);
  started.push(proc);
  await waitUntilHealthy(proc);
  return proc;
}

beforeAll(() => {
  if (!existsSync(path.resolve(import.meta.dirname, "../../dist/server.js"))) {
    throw new Error("dist/server.js is missing: run `node scripts/ensure-build.mjs` first");
  }
});

afterAll(async () => {
  await killAll(started);
  for (const dir of dataDirs) for (const d of [dir, `${dir}-secrets`]) rmSync(d, { recursive: true, force: true });
});

const PASSWORD = "a password that survives restarts";

async function sendAll(url: string, author: TestUser, channelId: string, contents: string[]) {
  const api = apiClient(url);
  const sent = [];
  for (const [i, content] of contents.entries()) {
    const res = await api.post(`/api/v1/channels/${channelId}/messages`, { content, nonce: `restart-${i}` }, author.token);
    expect(res.status).toBe(201);
    sent.push(res.body);
  }
  return sent;
}

test("after a clean restart on the same data dir, accounts, servers, messages and old tokens all still work", { timeout: 120_000 }, async () => {
  const dataDir = freshDataDir();
  const port = await freePort();
  const first = await start(dataDir, port);
  const before = apiClient(first.url);
  const alice = await registerUser(before, "restart_alice", PASSWORD);
  const bob = await registerUser(before, "restart_bob", PASSWORD);
  const club = await createServerAs(before, alice, "Survivors");
  await joinServer(before, club, alice, bob);
  const channelId = club.channels[0]!.id;
  const sent = await sendAll(first.url, alice, channelId, ["one", "two", "three"]);
  const historyBefore = (await before.get(`/api/v1/channels/${channelId}/messages`, bob.token)).body;

  expect(await stopServer(first, "SIGTERM")).toBe(0);
  expect(existsSync(path.join(dataDir, "parley.pid"))).toBe(false);
  // The generated secrets live beside the data dir, not in it (docs/security.md, "Files and secrets").
  expect(existsSync(path.join(dataDir, "auth-secret"))).toBe(false);
  expect(existsSync(path.join(`${dataDir}-secrets`, "auth-secret"))).toBe(true);
  expect(existsSync(path.join(`${dataDir}-secrets`, "message-keys"))).toBe(true);

  const second = await start(dataDir, port);
  const after = apiClient(second.url);

  const me = await after.get("/api/v1/users/@me", alice.token);
  expect(me.status).toBe(200);
  expect(me.body).toEqual(alice.user);

  const login = await after.post("/api/v1/auth/login", { username: "restart_alice", password: PASSWORD });
  expect(login.status).toBe(200);
  expect(login.body.user).toEqual(alice.user);
  expect((await after.post("/api/v1/auth/login", { username: "restart_alice", password: "not the password" })).status).toBe(401);
  expect((await after.post("/api/v1/auth/register", { username: "restart_alice", password: PASSWORD })).status).toBe(409);

  const servers = await after.get("/api/v1/servers", bob.token);
  expect(servers.status).toBe(200);
  expect(servers.body).toEqual([club]);

  const history = await after.get(`/api/v1/channels/${channelId}/messages`, bob.token);
  expect(history.status).toBe(200);
  expect(history.body).toEqual(historyBefore);
  expect(history.body.map((m: { id: string }) => m.id)).toEqual(sent.map((m) => m.id).reverse());

  // New ids keep increasing past the old ones, so history stays in creation order.
  const later = await after.post(`/api/v1/channels/${channelId}/messages`, { content: "four" }, alice.token);
  expect(later.status).toBe(201);
  expect(BigInt(later.body.id)).toBeGreaterThan(BigInt(sent[2]!.id));

  expect(await stopServer(second, "SIGTERM")).toBe(0);
});

test("a retry with the same nonce after a restart gets the original message, not a second one", { timeout: 120_000 }, async () => {
  const dataDir = freshDataDir();
  const port = await freePort();
  const first = await start(dataDir, port);
  const alice = await registerUser(apiClient(first.url), "nonce_alice", PASSWORD);
  const club = await createServerAs(apiClient(first.url), alice, "Retries");
  const channelId = club.channels[0]!.id;
  const [original] = await sendAll(first.url, alice, channelId, ["sent just before the restart"]);
  await stopServer(first, "SIGTERM");

  const second = await start(dataDir, port);
  const api = apiClient(second.url);
  const retry = await api.post(`/api/v1/channels/${channelId}/messages`, { content: "sent just before the restart", nonce: "restart-0" }, alice.token);
  expect(retry.status).toBe(200);
  expect(retry.body).toEqual(original);
  const history = await api.get(`/api/v1/channels/${channelId}/messages`, alice.token);
  expect(history.body.map((m: { id: string }) => m.id)).toEqual([original.id]);
  await stopServer(second, "SIGTERM");
});

test("acknowledged messages survive a crash (SIGKILL), and the stale lock does not block the next start", { timeout: 120_000 }, async () => {
  const dataDir = freshDataDir();
  const port = await freePort();
  const first = await start(dataDir, port);
  const alice = await registerUser(apiClient(first.url), "crash_alice", PASSWORD);
  const club = await createServerAs(apiClient(first.url), alice, "Crashy");
  const channelId = club.channels[0]!.id;
  const sent = await sendAll(first.url, alice, channelId, ["acked 1", "acked 2"]);

  expect(await stopServer(first, "SIGKILL")).toBe("SIGKILL");
  expect(existsSync(path.join(dataDir, "parley.pid"))).toBe(true);

  const second = await start(dataDir, port);
  const history = await apiClient(second.url).get(`/api/v1/channels/${channelId}/messages`, alice.token);
  expect(history.status).toBe(200);
  expect(history.body.map((m: { content: string }) => m.content)).toEqual(["acked 2", "acked 1"]);
  expect(history.body.map((m: { id: string }) => m.id)).toEqual([sent[1]!.id, sent[0]!.id]);
  await stopServer(second, "SIGTERM");
});

test("a second process on a data dir that is in use refuses to start with a clear error, and the first keeps serving", { timeout: 120_000 }, async () => {
  const dataDir = freshDataDir();
  const running = await start(dataDir, await freePort());

  const intruder = spawnServer(dataDir, await freePort());
  started.push(intruder);
  const exit = await Promise.race([intruder.exited, new Promise<string>((r) => setTimeout(() => r("still running"), 60_000))]);
  expect(exit).not.toBe("still running");
  expect(exit).not.toBe(0);
  expect(typeof exit).toBe("number");
  expect(intruder.output()).toContain(dataDir);
  expect(intruder.output()).toMatch(/another parley process/i);
  expect(intruder.output()).toContain(String(running.pid));

  const health = await fetch(`${running.url}/api/health`);
  expect(health.status).toBe(200);
  expect(existsSync(path.join(dataDir, "parley.pid"))).toBe(true);
  const alice = await registerUser(apiClient(running.url), "lock_alice", PASSWORD);
  expect(alice.user.username).toBe("lock_alice");
  expect(await stopServer(running, "SIGTERM")).toBe(0);
});
