// The cipher every message store seals with: AES-256-GCM, a fresh IV per message, the row's
// channel and message ids bound as AAD, named keys from a key ring.
import { describe, expect, test } from "vitest";
import { KeyRingError, ephemeralKeyRing, newKeyEntry, parseKeyRing } from "../../lib/crypto/key-ring";
import { MessageCipher, MessageSealError } from "../../lib/crypto/message-cipher";
import { keyOf, keysSpec, testCipher } from "../support/keys";

const CHANNEL = "100000000000000001";
const MESSAGE = "100000000000000002";

describe("sealing and opening", () => {
  test("a sealed message opens to its text, in its own row, and names the write key", () => {
    const cipher = testCipher(keysSpec("a", "b"));
    const text = "héllo 👋 \u0000 wörld";
    const sealed = cipher.seal(CHANNEL, MESSAGE, text);
    expect(sealed.keyId).toBe("b");
    expect(sealed.content).not.toContain("llo");
    expect(Buffer.from(sealed.content, "base64").length).toBe(12 + Buffer.byteLength(text) + 16);
    expect(cipher.open(CHANNEL, MESSAGE, sealed)).toBe(text);
  });

  test("the same text sealed twice differs (a random IV per message)", () => {
    const cipher = testCipher();
    const [a, b] = [cipher.seal(CHANNEL, MESSAGE, "same"), cipher.seal(CHANNEL, MESSAGE, "same")];
    expect(a.content).not.toBe(b.content);
    expect(Buffer.from(a.content, "base64").subarray(0, 12).equals(Buffer.from(b.content, "base64").subarray(0, 12))).toBe(false);
  });

  test("ids are numbers: a channel id with leading zeros is the same row", () => {
    const cipher = testCipher();
    expect(cipher.open(`0${CHANNEL}`, MESSAGE, cipher.seal(CHANNEL, MESSAGE, "x"))).toBe("x");
  });

  test("a legacy row (no key id) is plain text and reads as it is", () => {
    expect(testCipher().open(CHANNEL, MESSAGE, { keyId: null, content: "written before encryption" })).toBe("written before encryption");
  });

  test("a row under a key the ring does not hold is refused, naming the key but not the text", () => {
    const sealed = testCipher(keysSpec("old")).seal(CHANNEL, MESSAGE, "secret words");
    const other = new MessageCipher(parseKeyRing(`new:${keyOf(9)}`, "test"));
    expect(() => other.open(CHANNEL, MESSAGE, sealed)).toThrow(MessageSealError);
    expect(() => other.open(CHANNEL, MESSAGE, sealed)).toThrow(/key "old", which is not in the key ring/);
  });

  test("a key id that names a different key fails authentication", () => {
    const sealed = testCipher(keysSpec("k1")).seal(CHANNEL, MESSAGE, "secret");
    const impostor = new MessageCipher(parseKeyRing(`k1:${keyOf(7)}`, "test"));
    expect(() => impostor.open(CHANNEL, MESSAGE, sealed)).toThrow(/fails authentication/);
  });

  test.each([
    ["a flipped ciphertext bit", (b: Buffer) => (b[13]! ^= 1)],
    ["a flipped IV bit", (b: Buffer) => (b[0]! ^= 1)],
    ["a flipped tag bit", (b: Buffer) => (b[b.length - 1]! ^= 1)],
  ])("%s is refused", (_, tamper) => {
    const cipher = testCipher();
    const sealed = cipher.seal(CHANNEL, MESSAGE, "do not change me");
    const body = Buffer.from(sealed.content, "base64");
    tamper(body);
    expect(() => cipher.open(CHANNEL, MESSAGE, { ...sealed, content: body.toString("base64") })).toThrow(MessageSealError);
  });

  test("a truncated body is refused", () => {
    expect(() => testCipher().open(CHANNEL, MESSAGE, { keyId: "test1", content: Buffer.alloc(20).toString("base64") })).toThrow(/truncated/);
  });

  test("content moved to another message or channel (swapped rows) is refused: the AAD binds it to its row", () => {
    const cipher = testCipher();
    const sealed = cipher.seal(CHANNEL, MESSAGE, "mine");
    expect(() => cipher.open(CHANNEL, "100000000000000003", sealed)).toThrow(/fails authentication/);
    expect(() => cipher.open("100000000000000009", MESSAGE, sealed)).toThrow(/fails authentication/);
  });

  test("isStale: plain text and older keys are stale, the write key is not", () => {
    const cipher = testCipher(keysSpec("a", "b"));
    expect([null, "a", "b"].map((k) => cipher.isStale(k))).toEqual([true, true, false]);
  });
});

describe("the key ring", () => {
  test("entries are id:base64key, oldest first; the last one writes unless one is named", () => {
    expect(parseKeyRing(keysSpec("a", "b", "c"), "X").write.id).toBe("c");
    expect(parseKeyRing(keysSpec("a", "b", "c"), "X", "b").write.id).toBe("b");
    expect(parseKeyRing(keysSpec("a", "b"), "X").ids()).toEqual(["a", "b"]);
  });

  test("the file form: one per line, comments and blank lines ignored, base64url accepted", () => {
    const url = Buffer.alloc(32, 0xfb).toString("base64url");
    const ring = parseKeyRing(`# a header, with commas: a,b\n\nk1:${keyOf(1)}\n  k2:${url}  \n`, "file");
    expect(ring.ids()).toEqual(["k1", "k2"]);
  });

  test("newKeyEntry and ephemeralKeyRing make working 32-byte keys", () => {
    expect(parseKeyRing(newKeyEntry("fresh"), "X").write.id).toBe("fresh");
    const cipher = new MessageCipher(ephemeralKeyRing());
    expect(cipher.open(CHANNEL, MESSAGE, cipher.seal(CHANNEL, MESSAGE, "x"))).toBe("x");
  });

  test.each([
    ["", /no key/],
    [" , ,", /no key/],
    ["justakey", /entry 1 is not id:base64key/],
    [`bad id!:${keyOf(1)}`, /the id must be/],
    [`:${keyOf(1)}`, /the id must be/],
    [`a:${keyOf(1)},a:${keyOf(2)}`, /"a" appears twice/],
    ["a:not*base64", /not base64/],
    [`a:${Buffer.alloc(16, 1).toString("base64")}`, /must be 32 bytes \(AES-256\), got 16/],
    [`a:${Buffer.alloc(33, 1).toString("base64")}`, /must be 32 bytes \(AES-256\), got 33/],
    [`a:${keyOf(1)},b:${Buffer.alloc(24, 1).toString("base64")}`, /entry 2 \("b"\).*got 24/],
  ])("%j is refused (%s)", (spec, message) => {
    expect(() => parseKeyRing(spec, "MESSAGE_KEYS")).toThrow(KeyRingError);
    expect(() => parseKeyRing(spec, "MESSAGE_KEYS")).toThrow(message);
  });

  test("an error never quotes the key material", () => {
    const short = Buffer.alloc(16, 0x41).toString("base64");
    try {
      parseKeyRing(`a:${short}`, "MESSAGE_KEYS");
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
  });

  test("a write key that is not in the ring is refused", () => {
    expect(() => parseKeyRing(keysSpec("a"), "X", "zz")).toThrow(/write key "zz" is not in the key ring/);
  });
});
