// The harness side of the load workers: forks them, sends commands, gathers replies.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Command, Reply } from "./protocol";
import { track } from "./processes";

/** `C`: the commands its worker script understands (load-worker.ts by default). */
export class Worker<C extends { op: string } = Command> {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exitError?: Error;

  constructor(readonly child: ChildProcess, readonly index: number) {
    child.on("message", (reply: Reply) => {
      const entry = this.pending.get(reply.id);
      if (!entry) return;
      this.pending.delete(reply.id);
      if (reply.ok) entry.resolve(reply.result);
      else entry.reject(new Error(`load worker ${index}: ${reply.error}`));
    });
    child.once("exit", (code, signal) => {
      this.exitError = new Error(`load worker ${index} exited (${code ?? signal})`);
      for (const entry of this.pending.values()) entry.reject(this.exitError);
      this.pending.clear();
    });
  }

  /** Sends a command; fails after `timeoutMs` (every command is bounded). */
  call<T>(command: C, timeoutMs: number): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`load worker ${this.index}: "${command.op}" took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ id, command });
    });
  }
}

export class WorkerPool<C extends { op: string } = Command> {
  private constructor(readonly workers: Worker<C>[]) {}

  /** `script`: the worker's file in bench/lib (big-server has its own). */
  static start<C extends { op: string } = Command>(count: number, script = "load-worker.ts"): WorkerPool<C> {
    const entry = path.join(import.meta.dirname, script);
    const workers = Array.from({ length: count }, (_, i) => {
      const child = fork(entry, [], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production" },
      });
      track(child);
      return new Worker<C>(child, i);
    });
    return new WorkerPool<C>(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  all<T>(command: (w: Worker<C>) => C, timeoutMs: number): Promise<T[]> {
    return Promise.all(this.workers.map((w) => w.call<T>(command(w), timeoutMs)));
  }

  /** Asks every worker to close its connections and exit; kills those that do not. */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
        if (w.child.exitCode !== null || w.child.signalCode !== null) return;
        const exited = new Promise((r) => w.child.once("exit", r));
        await w.call({ op: "close" } as C, 10_000).catch(() => {});
        const timer = setTimeout(() => w.child.pid && process.kill(w.child.pid, "SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

/** Splits `items` round-robin over `n` lists. */
export function deal<T>(items: T[], n: number): T[][] {
  const out = Array.from({ length: n }, () => [] as T[]);
  items.forEach((item, i) => out[i % n]!.push(item));
  return out;
}
