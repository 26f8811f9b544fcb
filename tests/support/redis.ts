// Redis for tests: a key prefix of one's own on the shared Redis (never FLUSH it: other runs use
// it too), and a private redis-server child process for tests that stop and restart Redis.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./process";

/** A prefix no other run uses: every key and pub/sub channel of the run lives under it. */
export function uniqueRedisPrefix(label: string): string {
  return `parley-test:${label}:${process.pid}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
}

/** Deletes this run's keys (and only those), so a shared Redis does not fill up with test data. */
export async function deleteKeysUnder(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  } catch {
    /* best effort: the keys carry TTLs or a unique prefix anyway */
  } finally {
    client.disconnect();
  }
}

/** Whether `redis-server` is installed (what `ownRedisServer` runs). */
export function redisServerInstalled(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** A redis-server of our own: stop it and start it again on the same port, by PID. */
export interface OwnRedis {
  port: number;
  url: string;
  /** The PID of the running server, or undefined while it is stopped. */
  pid(): number | undefined;
  start(): Promise<void>;
  /** Kills the server (SIGKILL: Redis dies, it is not asked) and waits until it is gone. */
  stop(): Promise<void>;
}

export async function ownRedisServer(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = "";

  const start = async () => {
    if (child) throw new Error("redis-server is already running");
    output = "";
    const proc = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    proc.stdout!.on("data", (chunk) => (output += chunk));
    proc.stderr!.on("data", (chunk) => (output += chunk));
    exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    void exited.then(() => {
      if (child === proc) child = undefined;
    });
    // Ready when it answers PING (bounded).
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500, retryStrategy: () => null });
      probe.on("error", () => {}); // refused while it starts: expected
      try {
        await probe.connect();
        if ((await probe.ping()) === "PONG") return;
      } catch {
        /* not up yet */
      } finally {
        probe.disconnect();
      }
      if (!child) throw new Error(`redis-server exited at start:\n${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} not answering after 10 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async () => {
    const proc = child;
    if (!proc?.pid) return;
    try {
      process.kill(proc.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    child = undefined;
  };

  return { port, url, pid: () => child?.pid, start, stop };
}
