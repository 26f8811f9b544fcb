// Parley's files are its own: a umask of 077 for everything the process creates (PGlite's
// files included), directories 0700, files 0600, and a refusal to start on a data dir or a
// secret that group or others can reach (docs/security.md, "Files and secrets").
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync, type Stats } from "node:fs";
import path from "node:path";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const GROUP_OR_OTHER = 0o077;

/** Files this process creates get no group or other bits. Not available in worker threads, where the explicit modes still apply. */
export function usePrivateUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    /* worker thread: the parent process's umask applies */
  }
}

/** A start refused because of a file's mode; the message says how to fix it. */
export class LooseFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LooseFileError";
  }
}

/** Creates `dir` (and missing parents) 0700; refuses an existing one that group or others can reach. */
export function ensurePrivateDir(dir: string, what: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  refuseLoose(dir, statSync(dir), what, "700");
}

/** Refuses a file (a secret) that group or others can reach. */
export function refuseLooseFile(file: string, what: string): void {
  refuseLoose(file, statSync(file), what, "600");
}

function refuseLoose(file: string, stats: Stats, what: string, fix: string): void {
  if ((stats.mode & GROUP_OR_OTHER) === 0) return;
  const mode = (stats.mode & 0o777).toString(8).padStart(3, "0");
  throw new LooseFileError(`Refusing to start: ${what} ${file} has mode ${mode}, so other users of this machine can reach it. Run: chmod ${fix} ${JSON.stringify(file)}${stats.isDirectory() ? " (and chmod -R go-rwx on its contents)" : ""}`);
}

/** Writes a new private file (0600), refusing to replace an existing one. */
export function writePrivateFile(file: string, text: string): void {
  writeFileSync(file, text, { mode: PRIVATE_FILE_MODE, flag: "wx" });
}

/**
 * Takes group and other bits off everything under a private dir: files written before Parley
 * set its umask (an older release wrote PGlite's files 0666). Bounded by the tree's size.
 */
export function tightenTree(dir: string): number {
  let changed = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    const mode = statSync(file).mode;
    if ((mode & GROUP_OR_OTHER) !== 0) {
      chmodSync(file, mode & 0o700);
      changed++;
    }
    if (entry.isDirectory()) changed += tightenTree(file);
  }
  return changed;
}
