// Every process the benchmark starts (Parley nodes, the bare ws baseline, load workers) is
// registered here and stopped by PID on every exit path: normal end, error, SIGINT/SIGTERM.
import { appendFileSync } from "node:fs";
import { spawn, type ChildProcess } from "node:child_process";

const running = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // Last resort: a synchronous kill of whatever is still registered when this process ends.
  process.on("exit", () => {
    for (const child of running) {
      try {
        if (child.pid) process.kill(child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  });
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Everything written to stdout/stderr (the last 64 KiB). */
  output(): string;
  exited: Promise<number | string>;
}

export function spawnTracked(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Spawned {
  hookExit();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  // BENCH_SERVER_LOG=FILE: every spawned process's output also goes to FILE (e.g. for --trace-gc experiments).
  const log = process.env.BENCH_SERVER_LOG;
  const keep = (chunk: Buffer) => {
    if (log) appendFileSync(log, chunk);
    output += chunk.toString();
    if (output.length > 65_536) output = output.slice(-65_536);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? "unknown");
    });
  });
  return { child, pid: child.pid!, output: () => output, exited };
}

/** Registers a child started elsewhere (load workers are forked with IPC). */
export function track(child: ChildProcess): void {
  hookExit();
  running.add(child);
  child.once("exit", () => running.delete(child));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has ended. */
export async function stopProcess(proc: Spawned, graceMs = 10_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  try {
    process.kill(proc.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(proc.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }, graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** Kills (by PID) everything this process started and has not stopped yet. */
export async function stopEverything(): Promise<void> {
  const waits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        try {
          if (child.pid) process.kill(child.pid, "SIGKILL");
        } catch {
          resolve();
        }
      }),
  );
  await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, 5_000))]);
}

// The same "free a moment ago" port the tests use.
export { freePort } from "../../tests/support/process";

/** Polls `url` until it answers 200; fails early when the process exits first. */
export async function waitForOk(url: string, proc: Spawned, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void proc.exited.then(() => (ended = true));
  for (;;) {
    if (ended) throw new Error(`process ${proc.pid} exited before ${url} answered:\n${proc.output().slice(-4000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return res;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms:\n${proc.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
