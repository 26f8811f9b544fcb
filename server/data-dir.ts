// The embedded data dir: a generated auth secret, and a pid lock so that only one process
// ever opens its PGlite database (PGlite has no cross-process locking of its own).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { MEMORY } from "./config";

export function loadOrCreateSecret(dataDir: string): string {
  if (dataDir === MEMORY) return randomBytes(32).toString("base64url");
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

/** Claims the data dir for this process; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  if (dataDir === MEMORY) return () => {};
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "parley.pid");
  if (existsSync(file)) {
    const owner = Number(readFileSync(file, "utf8").trim());
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new Error(`Another Parley process (pid ${owner}) is using ${dataDir}; stop it or choose another DATA_DIR.`);
    }
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
