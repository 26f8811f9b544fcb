// Hostile inputs, as fast-check arbitraries: text that is not what a person types (lone
// surrogates, NUL, bidi controls, ZWJ sequences, overlong numbers), values of the wrong type,
// deep nesting, prototype keys, huge strings (bounded at 100 KiB) and binary data.
import fc from "fast-check";

export const MAX_HUGE_CHARS = 100 * 1024;

/** Pieces attackers and unlucky clients send: each is a known edge of some parser or rule. */
export const NASTY_PIECES = [
  "", " ", "\t", "\r\n", "\u0000", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\u00a0", "\u200b", "\u3000", "\ufeff",
  "\ud800", "\udfff", "\udc00\ud800", "a\ud83d", "\ud83d\ude00", "\uffff", "\ufffe", "\u{10ffff}",
  "\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "gnp\u202eexe",
  "👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🇫🇷", "e\u0301", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇", "ﷺ", "𒐫", "李", "عمر", "ß", "İ", "ﬁ",
  "0", "-0", "-1", "1e309", "NaN", "Infinity", "0x10", "1_000", "+1", " 1", "1 ", "１２３", "٣", "1.5",
  "9223372036854775807", "9223372036854775808", "18446744073709551616", "00000000000000000001", "123456789012345678901",
  "9".repeat(400), "null", "undefined", "true", "[]", "{}", "@me", "@everyone", "<@1>", "<@9223372036854775807>",
  "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf",
  "'; DROP TABLE users;--", "\" OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}", "%s%s%n", "\\", "\"", "'",
  "../../etc/passwd", "%00", "%", "%zz", "%ED%A0%80", "?", "#", "&", "=", "/", ";", ",",
];

const piece = fc.constantFrom(...NASTY_PIECES);

/** Up to 100 KiB of one piece repeated (sliced, so a pair may be cut into a lone surrogate). */
export const hugeString = fc
  .tuple(fc.constantFrom("a", "\u0000", "🎉", "\ud800", "\u202e", " ", "é", "👨‍👩‍👧‍👦", "9"), fc.integer({ min: 2_001, max: MAX_HUGE_CHARS }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/** Strings of every kind: nasty pieces, random code points, printable text, and now and then huge ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: piece },
  { weight: 3, arbitrary: fc.array(piece, { maxLength: 6 }).map((parts) => parts.join("")) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1990, maxLength: 2010 }) },
  { weight: 1, arbitrary: hugeString },
);

/** Keys an object may carry: the prototype's own names among them. */
export const hostileKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "toString", "then", "length", "0", ""), hostileString.filter((s) => s.length < 64));

export const hostileNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 1e308, -1e308, 5e-324, 9223372036854775807),
  fc.integer(),
  fc.double(),
);

/** Scalars of every JSON type (and, over a socket, undefined). */
export const hostileScalar = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));

/** Arrays nested `depth` deep around a value, or objects nested through one key. */
export const deeplyNested = fc
  .tuple(fc.integer({ min: 10, max: 2_000 }), fc.boolean(), fc.constantFrom("a", "__proto__", "constructor"), hostileScalar)
  .map(([depth, asArrays, key, leaf]) => {
    let value: unknown = leaf;
    for (let i = 0; i < depth; i++) value = asArrays ? [value] : { [key]: value };
    return value;
  });

/** JSON values of every shape: nested arrays and objects (with prototype keys), scalars, deep nesting. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  {
    weight: 3,
    arbitrary: fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small", withCrossShrink: true }, hostileScalar, tie("array"), tie("object")),
      array: fc.array(tie("value"), { maxLength: 4 }),
      object: fc.array(fc.tuple(hostileKey, tie("value")), { maxLength: 4 }).map(objectFromEntries),
    })).value,
  },
  { weight: 1, arbitrary: deeplyNested },
);

/** An object whose own keys are exactly these (`__proto__` included, as JSON.parse makes it). */
export function objectFromEntries(entries: Array<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * An object that looks like the valid one: each field kept, dropped, or replaced by a hostile
 * value, sometimes with extra keys (prototype ones among them). `fields` gives each field's
 * arbitrary of plausible values (valid ones included).
 */
export function nearlyValid(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(fields).map(([key, plausible]) =>
    fc.oneof({ weight: 8, arbitrary: plausible }, { weight: 2, arbitrary: hostileJson }, { weight: 1, arbitrary: fc.constant(ABSENT) }).map((value) => [key, value] as const),
  );
  const extras = fc.array(fc.tuple(hostileKey, hostileJson), { maxLength: 2 });
  return fc.tuple(fc.tuple(...entries), fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: extras })).map(([own, extra]) =>
    objectFromEntries([...own.filter(([, v]) => v !== ABSENT), ...extra] as Array<[string, unknown]>),
  );
}
const ABSENT = Symbol("absent");

/** Variants of a valid id that a loose parser would take for it: leading zeros, signs, spaces. */
export function idVariants(id: string): fc.Arbitrary<string> {
  return fc.constantFrom(id, `0${id}`, `00${id}`, ` ${id}`, `${id} `, `+${id}`, `${id}.0`, `${id}\u0000`, `-${id}`, `${id}0`, id.slice(0, -1), `${id}e0`);
}

/** An id position: a known id, a variant of one, or anything. */
export function idLike(known: string[]): fc.Arbitrary<string> {
  const options: Array<fc.WeightedArbitrary<string>> = [{ weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) + 5n }).map(String) }];
  if (known.length > 0) {
    options.push({ weight: 6, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: fc.constantFrom(...known).chain(idVariants) });
  }
  return fc.oneof(...options);
}

/** Bytes a socket carries as binary attachments: Buffers, typed arrays, ArrayBuffers. */
export const binaryValue = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ maxLength: 64 }),
  fc.integer({ min: 0, max: 2048 }).map((n) => new ArrayBuffer(n)),
  fc.constant(Buffer.from("\u0000{\"channelId\":\"1\"}")),
);

/** What a socket can carry and JSON cannot: binary, undefined, binary nested in objects and arrays. */
export const hostileSocketValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileJson },
  { weight: 2, arbitrary: binaryValue },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.tuple(hostileKey, binaryValue).map(([key, bytes]) => objectFromEntries([[key, bytes]])) },
  { weight: 1, arbitrary: fc.array(binaryValue, { maxLength: 3 }) },
);

/** Raw request bodies that are not (valid, small) JSON objects. */
export const hostileBodyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("", " ", "null", "[]", "{", "}", "{]", "{\"a\":}", "{'a':1}", "\u0000", "{\"__proto__\":{\"isAdmin\":true}}", "{\"a\":1,\"a\":2}", "NaN", "[1,2,3]", "\"text\"", "1".repeat(500), "{\"content\":1e99999}"),
  fc.integer({ min: 100, max: 12_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
  fc.integer({ min: 100, max: 4_000 }).map((depth) => "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)),
  fc.integer({ min: 1, max: 4_000 }).map((depth) => "[".repeat(depth)),
  fc.string({ unit: "binary", maxLength: 200 }),
  hugeString.map((s) => JSON.stringify({ content: s, name: s })),
);

/** The UTF-8 bytes of a string, lone surrogates written as their WTF-8 bytes (what a hostile client can send). */
export function wtf8Bytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code > 0xffff) i++;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
  }
  return Buffer.from(bytes);
}

/** A string percent-encoded byte by byte (WTF-8), so any text, lone surrogates included, fits in a URL. */
export function percentEncode(text: string): string {
  let out = "";
  for (const byte of wtf8Bytes(text)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Raw pieces of a URL that are not valid percent-encoding, sent as they are. */
export const RAW_URL_PIECES = ["%", "%zz", "%FF", "%C0%AF", "%ED%A0%80", "%00", "%2F", "%5C", "%25", "%E2%80%AE", "%F0%9F", "%2e%2e%2f"];

/**
 * Encoded URL text is kept under 1,500 characters a value: Node refuses a request head over
 * 16 KiB (431) before Parley sees it, so longer values would test Node's limit, not Parley.
 */
const MAX_ENCODED = 1_500;
const encodedWithin = (value: fc.Arbitrary<string>) => value.map(percentEncode).map((s) => (s.length > MAX_ENCODED ? s.slice(0, MAX_ENCODED).replace(/%[0-9A-F]?$/, "") : s));

/** A path segment: a value percent-encoded, or raw bytes of broken encoding. Never empty, "." or "..". */
export function pathSegment(value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .oneof({ weight: 6, arbitrary: encodedWithin(value) }, { weight: 1, arbitrary: fc.tuple(encodedWithin(value), fc.constantFrom(...RAW_URL_PIECES)).map(([a, b]) => a + b) })
    .map((segment) => (segment === "" || /^(\.|%2e){1,2}$/i.test(segment) ? "%20" : segment));
}

/** A query string from (key, value) pairs, each side percent-encoded or raw broken encoding. */
export function queryString(pairs: fc.Arbitrary<Array<[string, string]>>): fc.Arbitrary<string> {
  const encode = (s: string) => {
    const encoded = percentEncode(s);
    return encoded.length > MAX_ENCODED ? encoded.slice(0, MAX_ENCODED).replace(/%[0-9A-F]?$/, "") : encoded;
  };
  return fc.tuple(pairs, fc.constantFrom("", "", "", "&", "&&", "&=", "&%", "&%zz=1", "&limit", "&=x")).map(([list, raw]) => {
    const text = list.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&") + raw;
    return text ? `?${text}` : "";
  });
}
