// The embedded default's secrets: the token signing secret and the message key ring, in a
// secrets dir *beside* DATA_DIR (SECRETS_DIR, default `<DATA_DIR>-secrets`), never inside it,
// so a copy of the data dir (a backup, a disk image) does not carry the keys that open it.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { ephemeralKeyRing, newKeyEntry, parseKeyRing, type KeyRing } from "../lib/crypto/key-ring";
import type { Logger } from "../lib/logger";
import { MEMORY } from "./config";
import { ensurePrivateDir, refuseLooseFile, writePrivateFile } from "./files";

export const AUTH_SECRET_FILE = "auth-secret";
export const MESSAGE_KEYS_FILE = "message-keys";

/**
 * The signing secret of the embedded default: read from the secrets dir, or moved there from
 * DATA_DIR/auth-secret (where older releases kept it: tokens issued before stay valid), or
 * generated on first run.
 */
export function loadOrCreateAuthSecret(secretsDir: string, dataDir: string, log?: Logger): string {
  if (secretsDir === MEMORY) return randomBytes(32).toString("base64url");
  ensurePrivateDir(secretsDir, "the secrets dir");
  const file = path.join(secretsDir, AUTH_SECRET_FILE);
  const legacy = dataDir === MEMORY ? undefined : path.join(dataDir, AUTH_SECRET_FILE);
  if (!existsSync(file) && legacy && existsSync(legacy)) {
    writePrivateFile(file, readFileSync(legacy, "utf8"));
    rmSync(legacy);
    log?.info({ from: legacy, to: file }, "moved the auth secret out of the data dir");
  }
  if (existsSync(file)) {
    refuseLooseFile(file, "the auth secret");
    return readFileSync(file, "utf8").trim();
  }
  const secret = randomBytes(32).toString("base64url");
  writePrivateFile(file, secret + "\n");
  return secret;
}

const KEY_FILE_HEADER = `# Parley's message key ring (docs/security.md, "Encryption at rest").
# One key per line, id:base64key, oldest first; new messages are sealed with the last one.
# Keep a copy apart from the data's backups: without it, message history cannot be read.
`;

/** The embedded key ring: read from the secrets dir, or generated there on first run. */
export function loadOrCreateKeyRing(secretsDir: string, log?: Logger): KeyRing {
  if (secretsDir === MEMORY) return ephemeralKeyRing();
  ensurePrivateDir(secretsDir, "the secrets dir");
  const file = path.join(secretsDir, MESSAGE_KEYS_FILE);
  if (!existsSync(file)) {
    writePrivateFile(file, `${KEY_FILE_HEADER}${newKeyEntry("k1")}\n`);
    log?.info({ file }, "generated the message key ring");
  }
  refuseLooseFile(file, "the message key ring");
  const ring = parseKeyRing(readFileSync(file, "utf8"), file);
  log?.info({ file, writeKey: ring.write.id, keys: ring.ids().length }, "message key ring");
  return ring;
}

/**
 * Adds a fresh key at the end of the embedded key ring file (it becomes the write key at the
 * next start); returns its id. The file is replaced atomically, never left half written.
 */
export function addKeyToRingFile(secretsDir: string): string {
  const file = path.join(secretsDir, MESSAGE_KEYS_FILE);
  refuseLooseFile(file, "the message key ring");
  const text = readFileSync(file, "utf8");
  const ids = new Set(parseKeyRing(text, file).ids());
  let n = ids.size + 1;
  while (ids.has(`k${n}`)) n++;
  const id = `k${n}`;
  const next = `${file}.new`;
  rmSync(next, { force: true });
  writePrivateFile(next, `${text.replace(/\n?$/, "\n")}${newKeyEntry(id)}\n`);
  renameSync(next, file);
  return id;
}
