// The embedded data dir: private (0700, the start refuses a looser one), and a pid lock so that
// only one process ever opens its PGlite database (PGlite has no cross-process locking of its own).
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { MEMORY } from "./config";
import { ensurePrivateDir, tightenTree, writePrivateFile } from "./files";

/**
 * Creates the data dir 0700, or refuses one that group or others can reach; then takes group
 * and other bits off files an older release wrote inside it. Returns how many it changed.
 */
export function preparePrivateDataDir(dataDir: string): number {
  if (dataDir === MEMORY) return 0;
  ensurePrivateDir(dataDir, "DATA_DIR");
  return tightenTree(dataDir);
}

/** Claims the data dir for this process; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  if (dataDir === MEMORY) return () => {};
  ensurePrivateDir(dataDir, "DATA_DIR");
  const file = path.join(dataDir, "parley.pid");
  const owner = lockOwner(dataDir);
  if (owner !== undefined) throw new Error(`Another Parley process (pid ${owner}) is using ${dataDir}; stop it or choose another DATA_DIR.`);
  rmSync(file, { force: true });
  writePrivateFile(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

/** The pid of another live process holding the data dir, if any. */
export function lockOwner(dataDir: string): number | undefined {
  const file = path.join(dataDir, "parley.pid");
  if (!existsSync(file)) return undefined;
  const owner = Number(readFileSync(file, "utf8").trim());
  return owner && owner !== process.pid && isAlive(owner) ? owner : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
