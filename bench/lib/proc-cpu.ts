// Server CPU read from outside (Linux /proc), for runs where processes end and start again: a
// node's own /metrics counter starts from zero when it restarts and cannot be read once it has
// exited. Sampled every 100 ms; a process that exits loses at most its last 100 ms.
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (`getconf CLK_TCK`: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** utime + stime of `pid` in seconds; undefined when it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may hold spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export interface CpuMeter {
  /** CPU seconds the watched processes used since the meter started (processes started later: all of theirs). */
  total(): number;
  stop(): void;
}

export function startCpuMeter(processes: () => Array<{ pid: number }>, everyMs = 100): CpuMeter {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = () => {
    for (const { pid } of processes()) {
      const cpu = cpuSecondsOf(pid);
      if (cpu === undefined) continue;
      last.set(pid, cpu);
    }
  };
  for (const { pid } of processes()) first.set(pid, cpuSecondsOf(pid) ?? 0);
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    total() {
      sample();
      let sum = 0;
      for (const [pid, cpu] of last) sum += cpu - (first.get(pid) ?? 0);
      return sum;
    },
    stop: () => clearInterval(timer),
  };
}
