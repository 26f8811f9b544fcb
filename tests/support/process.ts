// The real production server (`node dist/server.js`) as a child process, for restart tests.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { nodeFlagsFor } from "../../scripts/node-flags.mjs";


const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

/** A port that was free a moment ago: listen on 0, read it, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Spawns the bundled server on 127.0.0.1:`port` with its data in `dataDir`; does not wait for it.
 * `extraEnv` adds settings (role, DATABASE_URL, REDIS_URL ...) for multi-node tests.
 */
export function spawnServer(dataDir: string, port: number, extraEnv: Record<string, string> = {}): ServerProcess {
  // Only what this process should see: no inherited DATABASE_URL, AUTH_SECRET or WORKER_ID.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    // The limits the suite raises (vitest.config.ts), as an operator would.
    ...(process.env.REGISTER_PER_IP_PER_HOUR ? { REGISTER_PER_IP_PER_HOUR: process.env.REGISTER_PER_IP_PER_HOUR } : {}),
    ...extraEnv,
  };
  const args = [...nodeFlagsFor(env.PARLEY_ROLE), path.join(ROOT, "dist", "server.js")]; // as npm start runs it
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  return { child, pid: child.pid!, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Waits for `GET /api/health` to answer 200; fails early if the process exits first. */
export async function waitUntilHealthy(proc: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void proc.exited.then(() => (ended = true));
  for (;;) {
    if (ended) throw new Error(`server exited before becoming healthy:\n${proc.output()}`);
    try {
      const res = await fetch(`${proc.url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server not healthy after ${timeoutMs} ms:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends `signal` and waits (bounded) for the exit; SIGKILLs it if it will not go. */
export async function stopServer(proc: ServerProcess, signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<number | string> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), timeoutMs);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** For afterAll: kills by PID whatever is still running, and waits for it. */
export async function killAll(procs: ServerProcess[]): Promise<void> {
  await Promise.all(
    procs.map(async (proc) => {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
      try {
        process.kill(proc.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
      await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 5_000))]);
    }),
  );
}
