// The servers under test, each in its own process: Parley (embedded, or several nodes over
// PostgreSQL + Redis, optionally Cassandra) and the bare ws baseline. Both report the CPU
// seconds and RSS of their server processes, so fan-out is compared per server core-second.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { nodeFlagsFor } from "../../scripts/node-flags.mjs";
import { freePort, spawnTracked, stopProcess, waitForOk, type Spawned } from "./processes";
import { createThrowAwayDatabase } from "../../tests/support/database";
import { deleteKeysUnder } from "../../tests/support/redis";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface ServerStats {
  /** CPU seconds (user + system) used so far, summed over the target's server processes. */
  cpuSeconds: number;
  rssBytes: number;
  /** Open gateway connections, summed over nodes (as the servers report them). */
  connections: number;
  perNode: Array<{ label: string; cpuSeconds: number; rssBytes: number; connections: number }>;
}

export interface Target {
  kind: "parley" | "baseline";
  label: string;
  /** Where REST goes (unused for the baseline). */
  apiUrl: string;
  /** WebSocket URLs, one per gateway process; clients are spread over them. */
  gatewayUrls: string[];
  stats(): Promise<ServerStats>;
  /** Stops the server processes and starts them again on the same data (fresh heap and caches). */
  restart(): Promise<void>;
  /** Several nodes only: SIGTERM gateway `index` (it drains), wait for its exit, start it again on its port. */
  restartGateway?(index: number): Promise<GatewayRestart>;
  /** The server processes running now (a restarted node has a new pid). */
  processes(): Array<{ label: string; pid: number }>;
  stop(): Promise<void>;
}

export interface GatewayRestart {
  label: string;
  /** The URL it announces in the directory (GATEWAY_PUBLIC_URL), the same before and after. */
  url: string;
  /** SIGTERM -> process exit (the drain), and how it exited. */
  drainMs: number;
  exit: number | string;
  /** Start -> /api/health answers 200. */
  startMs: number;
}

export interface ParleyMode {
  /** Gateway processes (1 = a single all-in-one node). */
  nodes: number;
  redisUrl?: string;
  cassandraContactPoints?: string;
  /** A PostgreSQL server URL to create a throw-away database on; required for several nodes. */
  postgresUrl?: string;
  /** Write V8 CPU profiles of every server process into this folder. */
  cpuProfileDir?: string;
  /** How the throw-away database's name starts (default parley_). */
  databasePrefix?: string;
}

export const describeMode = (m: ParleyMode) =>
  [
    m.nodes > 1 ? `${m.nodes} gateway nodes + 1 api node` : "1 node",
    m.postgresUrl || m.nodes > 1 ? "PostgreSQL" : "embedded PGlite",
    m.redisUrl ? "Redis" : undefined,
    m.cassandraContactPoints ? "Cassandra" : undefined,
  ]
    .filter(Boolean)
    .join(", ");

interface NodeProcess {
  label: string;
  url: string;
  proc: Spawned;
}

function parseMetric(text: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, "m").exec(text);
  return match ? Number(match[1]) : 0;
}

async function nodeStats(node: NodeProcess) {
  const text = await (await fetch(`${node.url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  return {
    label: node.label,
    cpuSeconds: parseMetric(text, "process_cpu_seconds_total"),
    rssBytes: parseMetric(text, "process_resident_memory_bytes"),
    connections: parseMetric(text, "parley_gateway_connections"),
  };
}

function sumStats(perNode: ServerStats["perNode"]): ServerStats {
  return {
    cpuSeconds: perNode.reduce((s, n) => s + n.cpuSeconds, 0),
    rssBytes: perNode.reduce((s, n) => s + n.rssBytes, 0),
    connections: perNode.reduce((s, n) => s + n.connections, 0),
    perNode,
  };
}

/**
 * Starts Parley from the production build (`dist/server.js`). Several nodes share a
 * throw-away PostgreSQL database and Redis; roles and REDIS_URL are only environment
 * variables, and a build that does not understand them is refused with a clear message.
 */
export async function startParley(mode: ParleyMode): Promise<Target> {
  if (!existsSync(path.join(ROOT, "dist", "server.js"))) throw new Error("dist/server.js is missing: run `node scripts/ensure-build.mjs` first");
  const multi = mode.nodes > 1;
  if (multi && !mode.redisUrl) throw new Error("--nodes > 1 needs --redis (broadcasts cross nodes through the Redis adapter)");
  const dataDir = mkdtempSync(path.join(tmpdir(), "parley-bench-"));
  const database =
    multi || mode.postgresUrl ? await createThrowAwayDatabase(mode.postgresUrl ?? "postgres://postgres@127.0.0.1:5432/postgres", "bench", mode.databasePrefix) : undefined;
  // Every key and pub/sub channel of the run under a prefix of its own: the gateway directory
  // lives in Redis, and another run's nodes on the shared Redis must not appear in it.
  const redisPrefix = mode.redisUrl ? `parley-bench:${process.pid}:${randomBytes(4).toString("hex")}:` : undefined;
  const secret = randomBytes(32).toString("hex");
  // One key ring for every node (production with DATABASE_URL or Cassandra requires one).
  const messageKeys = `bench:${randomBytes(32).toString("base64")}`;
  const nodes: NodeProcess[] = [];
  const cleanup = async () => {
    await Promise.all(nodes.map((n) => stopProcess(n.proc)));
    await database?.drop().catch((err) => console.warn(`could not drop the bench database: ${err.message}`));
    if (mode.redisUrl && redisPrefix) await deleteKeysUnder(mode.redisUrl, redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const startNode = async (label: string, role: string | undefined, workerId: number, port?: number): Promise<NodeProcess> => {
    port ??= await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: path.join(dataDir, label),
      LOG_LEVEL: "warn",
      AUTH_SECRET: secret,
      MESSAGE_KEYS: messageKeys,
      WORKER_ID: String(workerId),
      NEXT_TELEMETRY_DISABLED: "1",
      // Benchmarks measure cost, not abuse limits: thousands of users register from one address
      // and load generators send faster per connection than a person (docs/api.md, "Abuse limits").
      REGISTER_PER_IP_PER_HOUR: "100000000",
      GATEWAY_EVENTS_PER_MINUTE: "100000000",
      GATEWAY_LOOKUPS_PER_MINUTE: "100000000",
      ...(role === "gateway" ? { GATEWAY_PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...(mode.redisUrl ? { REDIS_URL: mode.redisUrl, REDIS_KEY_PREFIX: redisPrefix } : {}),
      ...(mode.cassandraContactPoints ? { CASSANDRA_CONTACT_POINTS: mode.cassandraContactPoints } : {}),
      ...(role ? { PARLEY_ROLE: role } : {}),
      // Experiments with V8 or libc settings of the servers under test (docs/performance.md).
      ...(process.env.BENCH_SERVER_MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.BENCH_SERVER_MALLOC_ARENA_MAX } : {}),
      // Experiments with Parley's own settings, e.g. BENCH_SERVER_ENV="GATEWAY_RESUME_SECONDS=0".
      ...Object.fromEntries((process.env.BENCH_SERVER_ENV ?? "").split(" ").filter((kv) => kv.includes("=")).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)])),
    };
    const nodeArgs = mode.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${mode.cpuProfileDir}`, `--cpu-prof-name=parley-${label}-${Date.now()}.cpuprofile`] : [];
    const experimentArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const proc = spawnTracked(process.execPath, [...nodeArgs, ...nodeFlagsFor(role), ...experimentArgs, path.join(ROOT, "dist", "server.js")], { cwd: ROOT, env });
    const node = { label, url: `http://127.0.0.1:${port}`, proc };
    nodes.push(node);
    const health = (await (await waitForOk(`${node.url}/api/health`, proc, 120_000)).json()) as { checks?: Record<string, string> };
    const checks = Object.keys(health.checks ?? {}).join(" ");
    if (mode.redisUrl && !/redis/i.test(checks))
      throw new Error(`this build of Parley does not support REDIS_URL yet (/api/health reports no redis check: ${checks || "none"})`);
    return node;
  };

  const launch = async () => {
    if (multi) {
      // One after the other: migrations run under an advisory lock anyway.
      const api = await startNode("api", "api", 0);
      const gateways: NodeProcess[] = [];
      for (let i = 0; i < mode.nodes; i++) gateways.push(await startNode(`gateway${i + 1}`, "gateway", i + 1));
      return { apiUrl: api.url, gateways };
    }
    const node = await startNode("node", undefined, 0);
    return { apiUrl: node.url, gateways: [node] };
  };
  const wsUrls = (gateways: NodeProcess[]) => gateways.map((n) => `${n.url.replace(/^http/, "ws")}/gateway/?EIO=4&transport=websocket`);

  try {
    const first = await launch();
    let gateways = first.gateways;
    const target: Target = {
      kind: "parley",
      label: `Parley (${describeMode(mode)})`,
      apiUrl: first.apiUrl,
      gatewayUrls: wsUrls(first.gateways),
      stats: async () => sumStats(await Promise.all(nodes.map(nodeStats))),
      restart: async () => {
        await Promise.all(nodes.splice(0).map((n) => stopProcess(n.proc)));
        const again = await launch();
        gateways = again.gateways;
        target.apiUrl = again.apiUrl;
        target.gatewayUrls = wsUrls(again.gateways);
      },
      restartGateway: multi ? async (index) => {
        const old = gateways[index];
        if (!old) throw new Error(`no gateway ${index}`);
        const t0 = performance.now();
        await stopProcess(old.proc, 30_000);
        const drainMs = performance.now() - t0;
        const exit = await old.proc.exited;
        nodes.splice(nodes.indexOf(old), 1);
        const t1 = performance.now();
        gateways[index] = await startNode(old.label, "gateway", index + 1, Number(new URL(old.url).port));
        return { label: old.label, url: old.url, drainMs, exit, startMs: performance.now() - t1 };
      } : undefined,
      processes: () => nodes.map((n) => ({ label: n.label, pid: n.proc.pid })),
      stop: cleanup,
    };
    return target;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The bare ws broadcaster (bench/baseline-server.ts) in its own process, profiled like Parley when asked. */
export async function startBaseline(cpuProfileDir?: string): Promise<Target> {
  const port = await freePort();
  // Default profile names: tsx's loader thread writes a profile of its own, which a fixed name would overwrite.
  const nodeArgs = cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const proc = spawnTracked(process.execPath, [...nodeArgs, "--import", "tsx", path.join(ROOT, "bench", "baseline-server.ts")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), NODE_ENV: "production" },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${url}/stats`, proc, 30_000);
  } catch (err) {
    await stopProcess(proc);
    throw err;
  }
  return {
    kind: "baseline",
    label: "bare ws baseline",
    apiUrl: url,
    gatewayUrls: [`ws://127.0.0.1:${port}/`],
    stats: async () => {
      const s = (await (await fetch(`${url}/stats`, { signal: AbortSignal.timeout(10_000) })).json()) as {
        cpuSeconds: number;
        rssBytes: number;
        connections: number;
      };
      return { ...s, perNode: [{ label: "ws", ...s }] };
    },
    restart: async () => {},
    processes: () => [{ label: "ws", pid: proc.pid }],
    stop: () => stopProcess(proc),
  };
}
