// The message key ring: named AES-256 keys, the newest of which seals new messages while the
// older ones still open what they sealed (rotation without downtime, docs/security.md).
//
// Text format (MESSAGE_KEYS, and the embedded key ring file): entries `id:base64key`, separated
// by commas or newlines, oldest first; the last entry is the write key unless one is named
// explicitly. Blank lines and lines starting with `#` are ignored. An id is 1–32 letters,
// digits, `_`, `-` or `.`; a key is exactly 32 bytes in base64 or base64url
// (`openssl rand -base64 32`).
import { createSecretKey, randomBytes, type KeyObject } from "node:crypto";

export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_.-]{1,32}$/;

export interface MessageKey {
  readonly id: string;
  readonly key: KeyObject;
}

/** A bad key ring: the message names the entry, never the key material. */
export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyRingError";
  }
}

export class KeyRing {
  private readonly byId: ReadonlyMap<string, MessageKey>;
  /** The key every new message is sealed with. */
  readonly write: MessageKey;

  constructor(
    readonly keys: readonly MessageKey[],
    writeKeyId?: string,
  ) {
    if (keys.length === 0) throw new KeyRingError("the key ring holds no key");
    this.byId = new Map(keys.map((k) => [k.id, k]));
    const write = writeKeyId === undefined ? keys[keys.length - 1] : this.byId.get(writeKeyId);
    if (!write) throw new KeyRingError(`the write key "${writeKeyId}" is not in the key ring (ids: ${this.ids().join(", ")})`);
    this.write = write;
  }

  find(id: string): MessageKey | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return this.keys.map((k) => k.id);
  }
}

/**
 * Parses the text format above. `source` names where it came from in error messages
 * ("MESSAGE_KEYS", a file path). Throws KeyRingError on the first bad entry.
 */
export function parseKeyRing(text: string, source: string, writeKeyId?: string): KeyRing {
  const entries = text
    .split("\n")
    .filter((line) => !line.trim().startsWith("#"))
    .flatMap((line) => line.split(","))
    .map((e) => e.trim())
    .filter((e) => e !== "");
  if (entries.length === 0) throw new KeyRingError(`${source}: no key (expected id:base64key, e.g. k1:$(openssl rand -base64 32))`);
  const keys: MessageKey[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const where = `${source}: entry ${i + 1}`;
    const colon = entry.indexOf(":");
    if (colon < 0) throw new KeyRingError(`${where} is not id:base64key`);
    const id = entry.slice(0, colon).trim();
    if (!KEY_ID.test(id)) throw new KeyRingError(`${where}: the id must be 1-32 letters, digits, "_", "-" or "."`);
    if (seen.has(id)) throw new KeyRingError(`${where}: the id "${id}" appears twice`);
    seen.add(id);
    const material = decodeKey(entry.slice(colon + 1).trim());
    if (material === undefined) throw new KeyRingError(`${where} ("${id}"): the key is not base64`);
    if (material.length !== KEY_BYTES) {
      throw new KeyRingError(`${where} ("${id}"): the key must be ${KEY_BYTES} bytes (AES-256), got ${material.length} (generate one with openssl rand -base64 32)`);
    }
    keys.push({ id, key: createSecretKey(material) });
  });
  return new KeyRing(keys, writeKeyId);
}

/** Strict base64/base64url: Node's decoder skips bad characters silently, so the text is re-encoded and compared. */
function decodeKey(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  const canonical = (s: string) => s.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  return canonical(bytes.toString("base64")) === canonical(text) ? bytes : undefined;
}

/** A fresh entry in the text format: `id:base64key`. */
export function newKeyEntry(id: string): string {
  if (!KEY_ID.test(id)) throw new KeyRingError(`the id must be 1-32 letters, digits, "_", "-" or "."`);
  return `${id}:${randomBytes(KEY_BYTES).toString("base64")}`;
}

/** A throw-away ring of one random key (memory:// instances and tests). */
export function ephemeralKeyRing(id = "ephemeral"): KeyRing {
  return parseKeyRing(newKeyEntry(id), "generated");
}
