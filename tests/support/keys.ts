// Message key rings for tests: fixed keys, so separate stores (and "nodes") of one test open
// each other's messages, and a test can read a raw row back with the same key.
import { MessageCipher } from "../../lib/crypto/message-cipher";
import { parseKeyRing, type KeyRing } from "../../lib/crypto/key-ring";

/** A 32-byte key made of one repeated byte, as base64 (for readable fixtures). */
export const keyOf = (byte: number) => Buffer.alloc(32, byte).toString("base64");

/** `MESSAGE_KEYS` text for these ids, each with its own fixed key (id i -> byte i+1). */
export const keysSpec = (...ids: string[]) => ids.map((id, i) => `${id}:${keyOf(i + 1)}`).join(",");

export const TEST_MESSAGE_KEYS = keysSpec("test1");

export function testKeyRing(spec = TEST_MESSAGE_KEYS): KeyRing {
  return parseKeyRing(spec, "test keys");
}

export function testCipher(spec = TEST_MESSAGE_KEYS): MessageCipher {
  return new MessageCipher(testKeyRing(spec));
}
