// Parley nodes as separate OS processes (`node dist/server.js`), sharing one PostgreSQL
// database and one Redis: the deployment of the README, on free ports of 127.0.0.1, behind
// nginx when it is installed (CI requires it): every node's `url` is then its own port on the
// proxy, which is also what each gateway announces in the directory (GATEWAY_PUBLIC_URL).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { TEST_MESSAGE_KEYS } from "./keys";
import { freePort, killAll, spawnServer, waitUntilHealthy, type ServerProcess } from "./process";
import { nginxAvailable, startProxy, type Proxy } from "./proxy";

export type Role = "all" | "api" | "gateway";

export interface ClusterSettings {
  databaseUrl: string;
  redisUrl: string;
  /** REDIS_KEY_PREFIX: keeps this cluster's keys and channels apart from other runs on the same Redis. */
  redisPrefix: string;
  presenceLeaseSeconds: number;
  /** More settings for every node, as an operator would set them. */
  env?: Record<string, string>;
}

export interface NodeProcess extends ServerProcess {
  role: Role;
  port: number;
  /** The node's own address, past the proxy. */
  directUrl: string;
}

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SECRET = "multi-node-test-secret-that-is-long-enough-0123456789";

export function requireBuild(): void {
  if (!existsSync(path.join(ROOT, "dist", "server.js"))) throw new Error("dist/server.js is missing: run `node scripts/ensure-build.mjs` first");
}

/** Starts nodes and kills every one of them (by PID) in `stopAll`, whatever state they are in. */
export function cluster(settings: () => ClusterSettings) {
  const started: NodeProcess[] = [];
  const dirs: string[] = [];
  let workerId = 0;
  let proxy: Promise<Proxy | undefined> | undefined;
  const proxied = () => (proxy ??= nginxAvailable() ? startProxy() : Promise.resolve(undefined));

  /** Spawns a node (on `port`, or a free one) and waits until its /api/health says 200. */
  async function start(role: Role, port?: number): Promise<NodeProcess> {
    const s = settings();
    const dataDir = mkdtempSync(path.join(tmpdir(), `parley-${role}-`));
    dirs.push(dataDir);
    const front = await proxied();
    const { nodePort, url } = front ? front.slot(port) : directly(port ?? (await freePort()));
    const proc = spawnServer(dataDir, nodePort, {
      PARLEY_ROLE: role,
      DATABASE_URL: s.databaseUrl,
      DATABASE_POOL_SIZE: "4",
      REDIS_URL: s.redisUrl,
      REDIS_KEY_PREFIX: s.redisPrefix,
      PRESENCE_LEASE_SECONDS: String(s.presenceLeaseSeconds),
      AUTH_SECRET: SECRET,
      // Every node opens every other node's messages: one key ring for the whole cluster.
      MESSAGE_KEYS: TEST_MESSAGE_KEYS,
      WORKER_ID: String(++workerId),
      // Behind the proxy: the address the proxy adds to X-Forwarded-For is the client's.
      ...(front ? { TRUST_PROXY_HOPS: "1" } : {}),
      ...(front && role !== "api" ? { GATEWAY_PUBLIC_URL: url } : {}),
      ...s.env,
    });
    const node: NodeProcess = { ...proc, url, directUrl: proc.url, role, port: nodePort };
    started.push(node);
    await waitUntilHealthy(node, 90_000);
    return node;
  }

  async function stopAll(): Promise<void> {
    await killAll(started);
    await (await proxy)?.stop();
    proxy = undefined;
    for (const dir of dirs.splice(0)) for (const d of [dir, `${dir}-secrets`]) rmSync(d, { recursive: true, force: true });
  }

  return { start, stopAll, started };
}

const directly = (nodePort: number) => ({ nodePort, url: `http://127.0.0.1:${nodePort}` });

/** True while the process has not exited. */
export function isRunning(node: ServerProcess): boolean {
  return node.child.exitCode === null && node.child.signalCode === null;
}

export async function health(url: string): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.json() };
}

/** Polls `probe` until it returns a truthy value; fails after `timeoutMs` naming `what`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
