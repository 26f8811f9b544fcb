// What an idle gateway connection costs the server, measured apart from the full benchmark:
// N idle connections against a bare ws server, a bare Socket.IO server with Parley's options,
// or Parley's gateway (createParleyServer, role gateway, over a throw-away PostgreSQL
// database and Redis), spread over --servers processes. Each server process is measured
// after full GCs before and after the connections (JS heap, external, RSS), optionally with
// heap snapshots (analyse them with bench/heap-summary.ts) and a bounded broadcast for CPU
// per delivery. Everything is bounded in count and time; every process is stopped by PID.
//
//   npx tsx bench/probe-connection-memory.ts --target parley --connections 5000 --servers 1 --runs 3
//   npx tsx bench/probe-connection-memory.ts --target bare-sio --connections 2000 --broadcasts 50
//   options: --target bare-ws|bare-sio|parley  --connections N  --servers K  --tabs T (parley)
//            --runs R  --engine ws|eiows  --node-flags "--flag ..."  --snapshot DIR
//            --broadcasts B (rounds of one broadcast to every socket)  --env "K=V;K=V"
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createTokenService } from "../lib/auth/tokens";
import { SnowflakeGenerator } from "../lib/ids/snowflake";
import { createThrowAwayDatabase, type ThrowAwayDatabase } from "../tests/support/database";
import { connectClients } from "./lib/fanout";
import { stopEverything, track } from "./lib/processes";
import type { ClientSpec } from "./lib/protocol";
import { WorkerPool } from "./lib/workers";

interface Options {
  target: "bare-ws" | "bare-sio" | "parley";
  connections: number;
  servers: number;
  tabs: number;
  runs: number;
  engine: string;
  nodeFlags: string[];
  snapshot?: string;
  broadcasts: number;
  env: Record<string, string>;
}

function parseOptions(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const o: Options = {
    target: (get("target") ?? "bare-sio") as Options["target"],
    connections: Number(get("connections") ?? 5000),
    servers: Number(get("servers") ?? 1),
    tabs: Number(get("tabs") ?? 4),
    runs: Number(get("runs") ?? 1),
    engine: get("engine") ?? "ws",
    nodeFlags: (get("node-flags") ?? "").split(" ").filter(Boolean),
    snapshot: get("snapshot"),
    broadcasts: Number(get("broadcasts") ?? 0),
    env: Object.fromEntries((get("env") ?? "").split(";").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)])),
  };
  if (!["bare-ws", "bare-sio", "parley"].includes(o.target)) throw new Error(`unknown --target ${o.target}`);
  // One process may hold 20,000 files here: keep each server (and each load worker) well under it.
  if (o.connections / o.servers > 19_000) throw new Error("more than 19,000 connections per server process: raise --servers");
  if (o.connections > 40_000 || o.broadcasts > 500 || o.runs > 10) throw new Error("outside the probe's bounds");
  return o;
}

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const POSTGRES_URL = process.env.POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

interface Memory {
  /** RSS before the forced GCs, as a benchmark reading it from outside would see it. */
  rssBeforeGc: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  connections: number;
  mallocedMemory: number;
  totalPhysicalSize: number;
  /** Physical size of each V8 heap space. */
  spaces: Record<string, number>;
}

class ServerChild {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: { ok: boolean; result?: unknown; error?: string }) => void>();
  readonly started: Promise<{ port: number }>;

  constructor(readonly child: ChildProcess) {
    let ready!: (v: { port: number }) => void;
    let failed!: (e: Error) => void;
    this.started = new Promise((res, rej) => ((ready = res), (failed = rej)));
    child.on("message", (reply: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      if (reply.id === -1) return ready(reply.result as { port: number });
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
    child.once("exit", (code) => {
      failed(new Error(`probe server exited (${code})`));
      for (const p of this.pending.values()) p({ ok: false, error: `probe server exited (${code})` });
    });
  }

  call<T>(command: object, timeoutMs = 300_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`probe server: ${JSON.stringify(command)} timed out`)), timeoutMs);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.ok) resolve(reply.result as T);
        else reject(new Error(reply.error));
      });
      this.child.send({ id, command });
    });
  }
}

function startServer(o: Options, index: number, env: Record<string, string>): ServerChild {
  const child = fork(path.join(import.meta.dirname, "probe", "memory-server.ts"), [], {
    execArgv: ["--expose-gc", ...o.nodeFlags, "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PROBE_TARGET: o.target,
      PROBE_ENGINE: o.engine,
      WORKER_ID: String(index + 1),
      LOG_LEVEL: "warn",
      ...env,
      ...o.env,
    },
  });
  track(child);
  return new ServerChild(child);
}

/** Users straight into the database (no argon2: nobody logs in with a password here), with signed tokens. */
async function seedUsers(databaseUrl: string, secret: string, count: number): Promise<Array<{ id: string; token: string }>> {
  const ids = new SnowflakeGenerator(900);
  const tokens = createTokenService(secret);
  const users = Array.from({ length: count }, () => ({ id: ids.next(), token: "" }));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    for (let i = 0; i < users.length; i += 1000) {
      const batch = users.slice(i, i + 1000);
      const values = batch.map((_, k) => `($${k * 2 + 1}, $${k * 2 + 2}, $${k * 2 + 2}, 'x')`).join(",");
      await db.query(`INSERT INTO users (id, username, display_name, password_hash) VALUES ${values}`, batch.flatMap((u, k) => [u.id, `probe_${i + k}_${u.id.slice(-6)}`]));
    }
  } finally {
    await db.end();
  }
  for (const u of users) u.token = await tokens.sign({ sub: u.id, sid: u.id });
  return users;
}

const kib = (bytes: number) => bytes / 1024;
const fmt = (n: number) => n.toFixed(2);

async function oneRun(o: Options, run: number) {
  let database: ThrowAwayDatabase | undefined;
  const servers: ServerChild[] = [];
  let pool: WorkerPool | undefined;
  try {
    const secret = randomBytes(32).toString("hex");
    const env: Record<string, string> = {};
    if (o.target === "parley") {
      database = await createThrowAwayDatabase(POSTGRES_URL, "probe");
      Object.assign(env, { DATABASE_URL: database.url, REDIS_URL: REDIS_URL, AUTH_SECRET: secret, REDIS_KEY_PREFIX: `parley:probe${process.pid}:` });
    }
    // One after the other: the first runs the migrations.
    const ports: number[] = [];
    for (let i = 0; i < o.servers; i++) {
      const s = startServer(o, i, env);
      servers.push(s);
      ports.push((await s.started).port);
    }
    const userCount = Math.ceil(o.connections / o.tabs);
    const users = o.target === "parley" ? await seedUsers(database!.url, secret, userCount) : Array.from({ length: userCount }, (_, i) => ({ id: String(i), token: `u${i}` }));
    const clients: ClientSpec[] = Array.from({ length: o.connections }, (_, i) => {
      const u = users[i % users.length]!;
      return { url: `ws://127.0.0.1:${ports[i % ports.length]}/gateway/?EIO=4&transport=websocket`, token: u.token, userId: u.id, username: u.id, room: "none" };
    });
    pool = WorkerPool.start(Math.max(2, Math.ceil(o.connections / 6_000)));
    await new Promise((r) => setTimeout(r, 1_000));
    if (o.snapshot) mkdirSync(o.snapshot, { recursive: true });
    const snap = (s: ServerChild, i: number, when: string) =>
      s.call<{ file: string }>({ op: "snapshot", file: path.join(o.snapshot!, `${o.target}-${o.engine}-${i}-${when}-${run}.heapsnapshot`) });
    // RSS figures of a run with snapshots are not meaningful (writing a snapshot grows RSS).
    const before = await Promise.all(servers.map((s) => s.call<Memory>({ op: "measure" })));
    if (o.snapshot) await Promise.all(servers.map((s, i) => snap(s, i, "before")));
    // Every target speaks Socket.IO's wire to the load clients (the bare ws one only its open, connect and ready).
    const audience = await connectClients(pool, { kind: "parley" } as never, clients, 25);
    if (audience.failed > 0) console.warn(`  ${audience.failed} connections failed: ${audience.errors.join("; ")}`);
    await new Promise((r) => setTimeout(r, 3_000)); // ready, presence writes, first heartbeats settle
    const after = await Promise.all(servers.map((s) => s.call<Memory>({ op: "measure" })));
    if (o.snapshot) await Promise.all(servers.map((s, i) => snap(s, i, "after")));
    const opened = after.reduce((s, m) => s + m.connections, 0);
    type Figure = Exclude<keyof Memory, "spaces">;
    const sum = (list: Memory[], key: Figure) => list.reduce((s, m) => s + m[key], 0);
    const per = (key: Figure) => kib((sum(after, key) - sum(before, key)) / Math.max(1, opened));
    const row = {
      target: o.target,
      engine: o.engine,
      flags: o.nodeFlags.join(" ") || "-",
      run,
      connections: opened,
      heapKiB: per("heapUsed"),
      externalKiB: per("external"),
      arrayBuffersKiB: per("arrayBuffers"),
      mallocKiB: per("mallocedMemory"),
      rssKiB: per("rss"),
      rssBeforeGcKiB: per("rssBeforeGc"),
      heapPhysicalKiB: per("totalPhysicalSize"),
      spacesKiB: Object.fromEntries(
        Object.keys(after[0]!.spaces).map((name) => [name, kib((after.reduce((s, m) => s + m.spaces[name]!, 0) - before.reduce((s, m) => s + m.spaces[name]!, 0)) / Math.max(1, opened))]),
      ),
      connectSeconds: audience.elapsedMs / 1000,
      cpuPerDeliveryMicros: undefined as number | undefined,
    };
    if (o.broadcasts > 0) {
      const payload = JSON.stringify({ id: "1".repeat(18), channelId: "2".repeat(18), serverId: "3".repeat(18), author: { id: "4".repeat(18), username: "probe_user", displayName: "probe user" }, content: "x".repeat(120), nonce: "n".repeat(24), createdAt: "2026-05-01T12:00:00.000Z" });
      let cpu = 0;
      let deliveries = 0;
      for (const s of servers) {
        await s.call({ op: "broadcast", count: 5, payload }); // warm-up: JIT, buffers
        const r = await s.call<{ cpuMicros: number; connections: number }>({ op: "broadcast", count: o.broadcasts, payload });
        cpu += r.cpuMicros;
        deliveries += r.connections * o.broadcasts;
      }
      row.cpuPerDeliveryMicros = cpu / deliveries;
    }
    return row;
  } finally {
    await pool?.close().catch(() => {});
    await Promise.all(servers.map((s) => s.call({ op: "close" }, 20_000).catch(() => {})));
    await new Promise((r) => setTimeout(r, 300));
    for (const s of servers) if (s.child.exitCode === null && s.child.pid) process.kill(s.child.pid, "SIGKILL");
    await database?.drop().catch((err) => console.warn(`could not drop the probe database: ${err.message}`));
  }
}

async function main() {
  const o = parseOptions(process.argv.slice(2));
  const rows = [];
  for (let run = 1; run <= o.runs; run++) {
    const row = await oneRun(o, run);
    rows.push(row);
    console.log(
      `${row.target} engine=${row.engine} flags=${row.flags} run ${run}: ${row.connections} connections in ${fmt(row.connectSeconds)} s; per connection: heap ${fmt(row.heapKiB)} KiB, external ${fmt(row.externalKiB)} (arrayBuffers ${fmt(row.arrayBuffersKiB)}), malloc ${fmt(row.mallocKiB)}, heap physical ${fmt(row.heapPhysicalKiB)} (new ${fmt(row.spacesKiB.new_space ?? 0)}, old ${fmt(row.spacesKiB.old_space ?? 0)}), RSS ${fmt(row.rssKiB)} KiB (${fmt(row.rssBeforeGcKiB)} before GC)` +
        (row.cpuPerDeliveryMicros !== undefined ? `; ${fmt(row.cpuPerDeliveryMicros)} µs CPU per delivery` : ""),
    );
  }
  console.log(JSON.stringify(rows));
}

const onSignal = () => void stopEverything().then(() => process.exit(130));
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => void stopEverything());
