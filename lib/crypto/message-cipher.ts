// The one place that decides how message text is stored: AES-256-GCM under the key ring's
// write key, a random 96-bit IV per message, and the channel and message ids as additional
// authenticated data, so a sealed text opens only in the row it was written to (swapping two
// rows' contents, or moving one to another channel, fails authentication). Every message store
// (PostgreSQL/PGlite, Cassandra) calls it on the way in and out.
//
// Stored form: `content` = base64(iv ‖ ciphertext ‖ tag) and `key_id` = the key's id. A row
// whose key id is null was written before encryption existed: its content is the plain text
// (read as such until `npm run reencrypt` seals it).
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { canonicalId, type Snowflake } from "../ids/snowflake";
import type { KeyRing } from "./key-ring";

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Message text as a store keeps it. */
export interface SealedContent {
  /** The key that sealed it; null: a legacy row, `content` is plain text. */
  keyId: string | null;
  content: string;
}

/** A sealed text that cannot be opened: unknown key, or tampered with (the message names the row, never its text). */
export class MessageSealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MessageSealError";
  }
}

export class MessageCipher {
  constructor(readonly ring: KeyRing) {}

  seal(channelId: Snowflake, messageId: Snowflake, text: string): SealedContent {
    const { id, key } = this.ring.write;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(channelId, messageId));
    const body = Buffer.concat([iv, cipher.update(text, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return { keyId: id, content: body.toString("base64") };
  }

  open(channelId: Snowflake, messageId: Snowflake, sealed: SealedContent): string {
    if (sealed.keyId === null) return sealed.content;
    const found = this.ring.find(sealed.keyId);
    if (!found) throw new MessageSealError(`message ${messageId} is sealed with key "${sealed.keyId}", which is not in the key ring (ids: ${this.ring.ids().join(", ")})`);
    const body = Buffer.from(sealed.content, "base64");
    if (body.length < IV_BYTES + TAG_BYTES) throw new MessageSealError(`message ${messageId}: the sealed content is truncated`);
    try {
      const decipher = createDecipheriv(ALGORITHM, found.key, body.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(channelId, messageId));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new MessageSealError(`message ${messageId} in channel ${channelId} fails authentication under key "${sealed.keyId}" (altered, or moved from another row)`);
    }
  }

  /** Whether a row should be sealed again: plain text, or a key other than the write key. */
  isStale(keyId: string | null): boolean {
    return keyId !== this.ring.write.id;
  }
}

const aad = (channelId: Snowflake, messageId: Snowflake) => Buffer.from(`parley/message/v1\u0000${canonicalId(channelId)}\u0000${canonicalId(messageId)}`, "utf8");
