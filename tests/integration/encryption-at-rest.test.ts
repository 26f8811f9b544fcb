// Message text at rest, on the real production server (`node dist/server.js`) with the
// embedded PGlite: a canary sent, the server restarted, and then every byte of every file
// under DATA_DIR (WAL included) searched for it. Also: private modes, the generated key ring
// beside the data dir, the auth secret moved out of an older data dir, legacy plain-text rows
// read and sealed in the background, rotation with `npm run reencrypt -- --add-key`, and the
// refusals to start on loose modes or a bad key ring.
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase } from "../../lib/adapters/db/client";
import { argon2Hasher } from "../../lib/auth/passwords";
import { bucketOf } from "../../lib/ids/bucket";
import { SnowflakeGenerator, timestampOf } from "../../lib/ids/snowflake";
import { MIGRATIONS } from "../contract/databases";
import { apiClient, createServerAs, registerUser, type TestUser } from "../support/api";
import { keyOf } from "../support/keys";
import { reencrypt } from "../support/reencrypt";
import { freePort, killAll, spawnServer, stopServer, waitUntilHealthy, type ServerProcess } from "../support/process";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const started: ServerProcess[] = [];
const dirs: string[] = [];

function freshDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "parley-enc-"));
  dirs.push(dir, `${dir}-secrets`);
  return dir;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const proc = spawnServer(dataDir, await freePort(), env);
  started.push(proc);
  await waitUntilHealthy(proc, 90_000);
  return proc;
}

/** Every file and folder under `dir`, with its mode. */
function walk(dir: string): Array<{ file: string; mode: number; isFile: boolean }> {
  const out: Array<{ file: string; mode: number; isFile: boolean }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    const stats = statSync(file);
    out.push({ file, mode: stats.mode & 0o777, isFile: stats.isFile() });
    if (stats.isDirectory()) out.push(...walk(file));
  }
  return out;
}

const filesHolding = (dir: string, needle: string) => walk(dir).filter((e) => e.isFile && readFileSync(e.file).includes(Buffer.from(needle, "utf8"))).map((e) => e.file);
const looseEntries = (dir: string) => walk(dir).filter((e) => (e.mode & 0o077) !== 0).map((e) => `${e.file} ${e.mode.toString(8)}`);

async function send(url: string, user: TestUser, channelId: string, content: string) {
  const res = await apiClient(url).post(`/api/v1/channels/${channelId}/messages`, { content }, user.token);
  expect(res.status).toBe(201);
  return res.body as { id: string; content: string };
}
const history = async (url: string, user: TestUser, channelId: string) =>
  ((await apiClient(url).get(`/api/v1/channels/${channelId}/messages?limit=100`, user.token)).body as Array<{ id: string; content: string }>).map((m) => m.content);

/** The rows as stored, read with the server stopped (PGlite has one process at a time). */
async function rawRows(dataDir: string) {
  const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") }, MIGRATIONS);
  try {
    const result = await db.db.execute("select id::text, key_id, content from messages order by id");
    return (result as unknown as { rows: Array<{ id: string; key_id: string | null; content: string }> }).rows;
  } finally {
    await db.close();
  }
}

/** Waits until the server's background walk has saved "done" under this write key. */
async function walkDone(secretsDir: string, writeKey: string) {
  const file = path.join(secretsDir, "reencrypt-progress.json");
  await expect
    .poll(() => (existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { writeKey: string; done: boolean }) : undefined), { timeout: 30_000, interval: 100 })
    .toMatchObject({ writeKey, done: true });
}

beforeAll(() => {
  if (!existsSync(path.join(ROOT, "dist", "server.js"))) throw new Error("dist/server.js is missing: run `node scripts/ensure-build.mjs` first");
});

afterAll(async () => {
  await killAll(started);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test("a canary message is in no file under DATA_DIR (WAL included) after a restart, and nothing there is readable by group or others", { timeout: 180_000 }, async () => {
  const dataDir = freshDataDir();
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  // Every log line, down to trace, is searched for the canary too.
  const first = await start(dataDir, { LOG_LEVEL: "trace" });
  const api = apiClient(first.url);
  const alice = await registerUser(api, `enc_${randomBytes(3).toString("hex")}`);
  const club = await createServerAs(api, alice, "Canary club");
  const channelId = club.channels[0]!.id;
  const sent = await send(first.url, alice, channelId, `the ${canary} sings`);
  expect(sent.content).toBe(`the ${canary} sings`);
  expect(await stopServer(first)).toBe(0);

  const second = await start(dataDir, { LOG_LEVEL: "trace" });
  expect(await history(second.url, alice, channelId)).toEqual([`the ${canary} sings`]);
  expect(await stopServer(second)).toBe(0);

  const secretsDir = `${dataDir}-secrets`;
  expect(walk(dataDir).filter((e) => e.isFile).length).toBeGreaterThan(100); // PGlite's whole tree, pg_wal among it
  expect(walk(dataDir).some((e) => e.file.includes(`${path.sep}pg_wal${path.sep}`))).toBe(true);
  expect(filesHolding(dataDir, canary)).toEqual([]);
  expect(filesHolding(secretsDir, canary)).toEqual([]);
  expect(looseEntries(dataDir)).toEqual([]);
  expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  // The key ring and the signing secret live beside the data dir, private.
  expect(statSync(secretsDir).mode & 0o777).toBe(0o700);
  expect(readdirSync(secretsDir).sort()).toEqual(expect.arrayContaining(["auth-secret", "message-keys"]));
  expect(looseEntries(secretsDir)).toEqual([]);
  expect(existsSync(path.join(dataDir, "auth-secret"))).toBe(false);
  expect(first.output()).toContain('"msg":"message key ring"'); // the logs were really captured
  expect(first.output()).not.toContain(canary);
  expect(second.output()).not.toContain(canary);

  const rows = await rawRows(dataDir);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.key_id).toBe("k1");
  expect(rows[0]!.content).not.toContain("canary");
  expect(Buffer.from(rows[0]!.content, "base64").includes(Buffer.from(canary))).toBe(false);
});

/**
 * A data dir as the release before encryption left it: its migrations up to 0005, rows in
 * plain text, the signing secret inside the data dir, PGlite's files 0644.
 */
async function olderDataDir(dataDir: string, password: string) {
  const migrations = mkdtempSync(path.join(tmpdir(), "parley-enc-migrations-"));
  dirs.push(migrations);
  cpSync(MIGRATIONS, migrations, { recursive: true });
  const journalFile = path.join(migrations, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
  journal.entries = journal.entries.filter((e) => e.tag < "0006");
  writeFileSync(journalFile, JSON.stringify(journal));
  const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") }, migrations);
  const ids = new SnowflakeGenerator(77);
  const [user, server, channel, m1, m2] = [ids.next(), ids.next(), ids.next(), ids.next(), ids.next()];
  const username = `old_${randomBytes(3).toString("hex")}`;
  const hash = await argon2Hasher.hash(password);
  const now = new Date().toISOString();
  const message = (id: string, text: string) => `(${channel}, ${bucketOf(id)}, ${id}, ${server}, ${user}, '${text}', null, '${new Date(timestampOf(id)).toISOString()}')`;
  await db.db.execute(`insert into users (id, username, display_name, password_hash) values (${user}, '${username}', 'Old', '${hash}')`);
  await db.db.execute(`insert into servers (id, name, owner_id, member_count) values (${server}, 'Old club', ${user}, 1)`);
  await db.db.execute(`insert into memberships (server_id, user_id, joined_at) values (${server}, ${user}, '${now}')`);
  await db.db.execute(`insert into channels (id, server_id, name, position) values (${channel}, ${server}, 'general', 0)`);
  await db.db.execute(`insert into messages (channel_id, bucket, id, server_id, author_id, content, nonce, created_at) values ${message(m1, "the oldest words")}, ${message(m2, "written in plain text long ago")}`);
  await db.close();
  for (const e of walk(dataDir)) chmodSync(e.file, e.isFile ? 0o644 : 0o755);
  chmodSync(dataDir, 0o700); // the one thing an operator must fix by hand (the start refuses otherwise)
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(path.join(dataDir, "auth-secret"), `${secret}\n`, { mode: 0o644 });
  return { username, channelId: channel, secret };
}

test("an upgraded data dir: the auth secret moves out, files are tightened, plain-text rows read and get sealed, and --add-key rotates", { timeout: 240_000 }, async () => {
  const dataDir = freshDataDir();
  const secretsDir = `${dataDir}-secrets`;
  const password = "an old and trusted password";
  const old = await olderDataDir(dataDir, password);

  const first = await start(dataDir);
  expect(existsSync(path.join(dataDir, "auth-secret"))).toBe(false);
  expect(readFileSync(path.join(secretsDir, "auth-secret"), "utf8").trim()).toBe(old.secret);
  expect(looseEntries(dataDir)).toEqual([]);
  expect(looseEntries(secretsDir)).toEqual([]);
  const login = await apiClient(first.url).post("/api/v1/auth/login", { username: old.username, password });
  expect(login.status).toBe(200);
  const alice: TestUser = { token: login.body.token, user: login.body.user };
  expect(await history(first.url, alice, old.channelId)).toEqual(["written in plain text long ago", "the oldest words"]);
  await send(first.url, alice, old.channelId, "sealed from the start");
  await walkDone(secretsDir, "k1");
  expect(await stopServer(first)).toBe(0);
  expect((await rawRows(dataDir)).map((r) => r.key_id)).toEqual(["k1", "k1", "k1"]);
  expect((await rawRows(dataDir)).some((r) => r.content.includes("plain text") || r.content.includes("oldest"))).toBe(false);

  const second = await start(dataDir);
  // A new key while the server runs: the command adds it and says the server takes it from its next start.
  const added = await reencrypt(["--add-key"], { DATA_DIR: dataDir });
  expect(added.code).toBe(0);
  expect(added.stderr).toMatch(/added key k2/);
  expect(added.stderr).toMatch(/restart it to write with the new key/);
  expect(statSync(path.join(secretsDir, "message-keys")).mode & 0o777).toBe(0o600);
  expect(await stopServer(second)).toBe(0);

  // Restarted with k2 last: new messages use it and the walk moves the old rows over.
  const third = await start(dataDir);
  await send(third.url, alice, old.channelId, "written under k2");
  await walkDone(secretsDir, "k2");
  expect(await stopServer(third)).toBe(0);
  const rows = await rawRows(dataDir);
  expect(rows.map((r) => r.key_id)).toEqual(["k2", "k2", "k2", "k2"]);

  // k1 is no longer needed: remove it, everything still reads.
  const keyFile = path.join(secretsDir, "message-keys");
  writeFileSync(keyFile, readFileSync(keyFile, "utf8").split("\n").filter((l) => !l.startsWith("k1:")).join("\n"));
  const fourth = await start(dataDir);
  expect(await history(fourth.url, alice, old.channelId)).toEqual(["written under k2", "sealed from the start", "written in plain text long ago", "the oldest words"]);
  expect(await stopServer(fourth)).toBe(0);
});

describe("start refusals", () => {
  async function refused(dataDir: string, env: Record<string, string> = {}) {
    const proc = spawnServer(dataDir, await freePort(), env);
    started.push(proc);
    const code = await Promise.race([proc.exited, new Promise((r) => setTimeout(() => r("still running"), 60_000))]);
    return { code, output: proc.output() };
  }

  test("a DATA_DIR that others can read (0755) is refused, with the fix in the message", { timeout: 90_000 }, async () => {
    const dataDir = freshDataDir();
    chmodSync(dataDir, 0o755);
    const { code, output } = await refused(dataDir);
    expect(code).toBe(1);
    expect(output).toContain(`Refusing to start: DATA_DIR ${dataDir} has mode 755`);
    expect(output).toContain("chmod 700");
    expect(existsSync(path.join(dataDir, "pglite"))).toBe(false);
  });

  test("a key ring file that others can read (0644) is refused", { timeout: 90_000 }, async () => {
    const dataDir = freshDataDir();
    const secretsDir = `${dataDir}-secrets`;
    const ok = await start(dataDir);
    expect(await stopServer(ok)).toBe(0);
    chmodSync(path.join(secretsDir, "message-keys"), 0o644);
    const { code, output } = await refused(dataDir);
    expect(code).toBe(1);
    expect(output).toContain("Refusing to start: the message key ring");
    expect(output).toContain("has mode 644");
  });

  test("an auth secret file that others can read (0644) is refused", { timeout: 90_000 }, async () => {
    const dataDir = freshDataDir();
    const ok = await start(dataDir);
    expect(await stopServer(ok)).toBe(0);
    chmodSync(path.join(`${dataDir}-secrets`, "auth-secret"), 0o644);
    const { code, output } = await refused(dataDir);
    expect(code).toBe(1);
    expect(output).toContain("Refusing to start: the auth secret");
  });

  test.each([
    [`k1:${Buffer.alloc(16, 1).toString("base64")}`, /MESSAGE_KEYS: entry 1 \("k1"\): the key must be 32 bytes \(AES-256\), got 16/],
    ["k1", /MESSAGE_KEYS: entry 1 is not id:base64key/],
  ])("MESSAGE_KEYS=%s is refused with a clear message", { timeout: 90_000 }, async (keys, message) => {
    const { code, output } = await refused(freshDataDir(), { MESSAGE_KEYS: keys });
    expect(code).toBe(1);
    expect(output).toMatch(message);
  });

  test("a valid MESSAGE_KEYS is used instead of a generated key ring", { timeout: 90_000 }, async () => {
    const dataDir = freshDataDir();
    const ok = await start(dataDir, { MESSAGE_KEYS: `ops1:${keyOf(5)}` });
    expect(await stopServer(ok)).toBe(0);
    expect(existsSync(path.join(`${dataDir}-secrets`, "message-keys"))).toBe(false);
  });
});
