import { z } from "zod";
import { describe, expect, test } from "vitest";
import { AppError } from "../../lib/errors";
import {
  boundedInt,
  channelNameSchema,
  codePoints,
  contentSchema,
  displayNameSchema,
  nonceSchema,
  parseInput,
  passwordSchema,
  serverNameSchema,
  usernameSchema,
} from "../../lib/domain/validation";

const accepts = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;
const parsed = (schema: z.ZodType, value: unknown) => schema.parse(value);

describe("usernames", () => {
  test.each(["abc", "alice_1", "a.b.c", "x".repeat(32), "123"])("%s is allowed", (name) => {
    expect(accepts(usernameSchema, name)).toBe(true);
  });
  test.each(["ab", "x".repeat(33), "a-b", "a b", "ali$e", "élodie", "", "a😀b"])("%j is refused", (name) => {
    expect(accepts(usernameSchema, name)).toBe(false);
  });
  test("are case-folded to lower case", () => {
    expect(parsed(usernameSchema, "Alice.Smith")).toBe("alice.smith");
  });
});

describe("passwords and display names", () => {
  test("a password is 8–128 code points", () => {
    expect([7, 8, 128, 129].map((n) => accepts(passwordSchema, "p".repeat(n)))).toEqual([false, true, true, false]);
    expect(accepts(passwordSchema, "🔑".repeat(8))).toBe(true);
  });
  test("a display name is 1–32 code points after trimming, and is stored trimmed", () => {
    expect(parsed(displayNameSchema, "  Alice  ")).toBe("Alice");
    expect(accepts(displayNameSchema, "   ")).toBe(false);
    expect(accepts(displayNameSchema, "😀".repeat(32))).toBe(true);
    expect(accepts(displayNameSchema, "😀".repeat(33))).toBe(false);
  });
  test("a server name is 1–100 code points after trimming", () => {
    expect(parsed(serverNameSchema, "\t My Server \n")).toBe("My Server");
    expect(accepts(serverNameSchema, "")).toBe(false);
    expect(accepts(serverNameSchema, ` ${"n".repeat(100)} `)).toBe(true);
    expect(accepts(serverNameSchema, "n".repeat(101))).toBe(false);
  });
});

describe("channel names", () => {
  test.each([
    ["general", "general"],
    ["Off Topic", "off-topic"],
    ["  Spaced  Out  ", "spaced--out"],
    ["UPPER_case-1", "upper_case-1"],
    ["x".repeat(100), "x".repeat(100)],
  ])("%j becomes %j", (input, expected) => {
    expect(parsed(channelNameSchema, input)).toBe(expected);
  });
  test.each(["", "   ", "x".repeat(101), "café", "a/b", "emoji-😀", "dots.not.allowed"])("%j is refused", (input) => {
    expect(accepts(channelNameSchema, input)).toBe(false);
  });
});

describe("message content", () => {
  test("is stored trimmed", () => {
    expect(parsed(contentSchema, "  hello \n")).toBe("hello");
  });
  test("must keep at least one character after trimming", () => {
    expect(accepts(contentSchema, " \n\t ")).toBe(false);
    expect(accepts(contentSchema, "")).toBe(false);
  });
  test("counts code points, so 2000 emoji fit and 2001 do not", () => {
    expect("😀".repeat(2000).length).toBe(4000);
    expect(accepts(contentSchema, "😀".repeat(2000))).toBe(true);
    expect(accepts(contentSchema, "😀".repeat(2001))).toBe(false);
  });
  test("is measured after trimming", () => {
    expect(accepts(contentSchema, `   ${"a".repeat(2000)}   `)).toBe(true);
    expect(accepts(contentSchema, "a".repeat(2001))).toBe(false);
  });
  test("codePoints counts a family emoji as its five code points", () => {
    expect(codePoints("👨‍👩‍👧")).toBe(5);
    expect(codePoints("é")).toBe(1);
    expect(codePoints("e\u0301")).toBe(2);
  });
});

describe("nonces", () => {
  test.each(["a", "A-z_09", "n".repeat(64), "550e8400-e29b-41d4-a716-446655440000"])("%s is allowed", (nonce) => {
    expect(accepts(nonceSchema, nonce)).toBe(true);
  });
  test.each(["", "n".repeat(65), "a b", "a.b", "ünïcode", "a+b", "a/b", "a\n"])("%j is refused", (nonce) => {
    expect(accepts(nonceSchema, nonce)).toBe(false);
  });
});

describe("bounded query integers", () => {
  const limit = z.object({ limit: boundedInt(1, 100, 50) });
  test("an absent value means the default", () => {
    expect(limit.parse({})).toEqual({ limit: 50 });
    expect(limit.parse({ limit: undefined })).toEqual({ limit: 50 });
    expect(limit.parse({ limit: null })).toEqual({ limit: 50 });
  });
  test("accepts decimal strings and numbers within bounds", () => {
    expect(limit.parse({ limit: "1" })).toEqual({ limit: 1 });
    expect(limit.parse({ limit: 100 })).toEqual({ limit: 100 });
  });
  test.each(["0", "101", "-1", "1.5", "abc", "", " 5", "1e2", 2.5])("refuses %j", (value) => {
    expect(limit.safeParse({ limit: value }).success).toBe(false);
  });
});

describe("parseInput", () => {
  test("returns the parsed value", () => {
    expect(parseInput(z.object({ name: serverNameSchema }), { name: " x " })).toEqual({ name: "x" });
  });
  test("throws VALIDATION_FAILED naming the field that broke a rule", () => {
    const attempt = () => parseInput(z.object({ content: contentSchema }), { content: "" });
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (err) {
      expect((err as AppError).code).toBe("VALIDATION_FAILED");
      expect((err as AppError).message).toMatch(/^content: /);
    }
  });
  test.each([undefined, null, "text", 3, []])("throws VALIDATION_FAILED for the non-object %j", (input) => {
    expect(() => parseInput(z.object({ content: contentSchema }), input)).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
  });
});
