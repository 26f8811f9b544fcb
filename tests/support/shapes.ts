// Assertions for the contract's objects and error bodies, written from shared/spec/api.md
// alone: exact keys (nothing extra leaks, e.g. a password hash), exact types.
import { expect } from "vitest";
import type { ApiResponse } from "./api";

const MAX_INT64 = (1n << 63n) - 1n;
/** The Parley epoch of the spec: 2026-01-01T00:00:00Z. */
export const SPEC_EPOCH_MS = Date.UTC(2026, 0, 1);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export type ErrorCode =
  | "VALIDATION_FAILED"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "INTERNAL";

/** The status, and a body that is exactly `{error: {code, message}}` with a plain sentence. */
export function expectError(res: ApiResponse, status: number, code: ErrorCode): void {
  const context = `${res.status} ${JSON.stringify(res.body)}`;
  expect(res.status, context).toBe(status);
  expect(res.headers.get("content-type") ?? "", context).toMatch(/^application\/json/);
  expect(Object.keys(res.body ?? {}), context).toEqual(["error"]);
  expect(Object.keys(res.body.error).sort(), context).toEqual(["code", "message"]);
  expect(res.body.error.code, context).toBe(code);
  expect(typeof res.body.error.message, context).toBe("string");
  expect(res.body.error.message.length, context).toBeGreaterThan(0);
  expect(res.body.error.message, "no stack trace").not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

/** A decimal snowflake that fits in a signed 64-bit integer. */
export function expectSnowflake(value: unknown): void {
  expect(typeof value).toBe("string");
  expect(value).toMatch(/^[0-9]{1,20}$/);
  expect(BigInt(value as string) <= MAX_INT64).toBe(true);
}

/** Milliseconds since the Unix epoch at which a snowflake was made (spec layout: 42|10|12). */
export function snowflakeTime(id: string): number {
  return Number(BigInt(id) >> 22n) + SPEC_EPOCH_MS;
}

/** A snowflake made within `toleranceMs` of now. */
export function expectFreshSnowflake(id: unknown, toleranceMs = 30_000): void {
  expectSnowflake(id);
  expect(Math.abs(snowflakeTime(id as string) - Date.now())).toBeLessThan(toleranceMs);
}

export function expectIsoUtc(value: unknown): void {
  expect(typeof value).toBe("string");
  expect(value).toMatch(ISO_UTC);
  expect(Number.isNaN(Date.parse(value as string))).toBe(false);
}

export function expectUser(user: any): void {
  expect(Object.keys(user).sort()).toEqual(["displayName", "id", "username"]);
  expectSnowflake(user.id);
  expect(user.username).toMatch(/^[a-z0-9_.]{3,32}$/);
  expect(typeof user.displayName).toBe("string");
}

export function expectChannel(channel: any): void {
  expect(Object.keys(channel).sort()).toEqual(["id", "name", "position", "serverId", "type"]);
  expectSnowflake(channel.id);
  expectSnowflake(channel.serverId);
  expect(channel.name).toMatch(/^[a-z0-9_-]{1,100}$/);
  expect(channel.type).toBe("text");
  expect(Number.isInteger(channel.position)).toBe(true);
}

export function expectServer(server: any): void {
  expect(Object.keys(server).sort()).toEqual(["channels", "id", "name", "ownerId"]);
  expectSnowflake(server.id);
  expectSnowflake(server.ownerId);
  expect(typeof server.name).toBe("string");
  expect(Array.isArray(server.channels)).toBe(true);
  for (const channel of server.channels) {
    expectChannel(channel);
    expect(channel.serverId).toBe(server.id);
  }
  const positions = server.channels.map((c: any) => c.position);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
}

export function expectMember(member: any): void {
  expect(Object.keys(member).sort()).toEqual(["joinedAt", "status", "user"]);
  expectUser(member.user);
  expectIsoUtc(member.joinedAt);
  expect(["online", "idle", "dnd", "offline"]).toContain(member.status);
}

export function expectMessage(message: any, options: { nonce?: boolean } = {}): void {
  const keys = ["author", "channelId", "content", "createdAt", "id", "serverId"];
  // nonce: true = must be there, false = must be absent, undefined = either (history may omit it).
  const actual = Object.keys(message).filter((k) => !(k === "nonce" && options.nonce === undefined));
  if (options.nonce) keys.push("nonce");
  expect(actual.sort()).toEqual(keys.sort());
  expectSnowflake(message.id);
  expectSnowflake(message.channelId);
  expectSnowflake(message.serverId);
  expectUser(message.author);
  expect(typeof message.content).toBe("string");
  expectIsoUtc(message.createdAt);
  if (options.nonce) expect(typeof message.nonce).toBe("string");
}
