// What every fuzzed answer must be: a success, or a contract error (documented code, its HTTP
// status, a human sentence, no stack trace or driver text). Never a 5xx, never a hang.
import { expect } from "vitest";
import type { ErrorCode } from "../../../lib/errors";

/**
 * The codes a client may meet for bad input, with their statuses as the contract's table gives
 * them (written out here on purpose: the oracle is the contract, not lib/errors.ts). Keyed by
 * ErrorCode, so a new code cannot be forgotten. INTERNAL and UNAVAILABLE mean Parley failed.
 */
export const CLIENT_ERROR_STATUS: Record<Exclude<ErrorCode, "INTERNAL" | "UNAVAILABLE">, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
};

/** Text that only an internal failure would show: stack frames, paths, driver and SQL words. */
const LEAK = /\n\s+at |\bat [^\s]+ \(|node_modules|\/work\/|file:\/\/|\.ts:\d+|\.js:\d+|\bSELECT\b|\bINSERT INTO\b|syntax error at|PGlite|ZodError|TypeError|RangeError|SyntaxError|Cannot read prop|undefined is not/;

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** Throws (with the case in the message) unless `answer` is a 2xx or a contract error. */
export function expectContractAnswer(answer: RawAnswer, what: string): { ok: boolean; body: any } {
  const context = `${what} -> ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, context).toBeLessThan(500);
  expect(answer.status >= 300 && answer.status < 400, `a redirect in ${context}`).toBe(false);
  if (answer.status >= 200 && answer.status < 300) {
    if (answer.status === 204) return { ok: true, body: undefined };
    expect(answer.headers.get("content-type") ?? "", context).toMatch(/^application\/json/);
    return { ok: true, body: JSON.parse(answer.text) };
  }
  // Successes echo what was sent; only an error's text is searched for leaks.
  expect(answer.text, `a leak in ${context}`).not.toMatch(LEAK);
  expect(answer.headers.get("content-type") ?? "", context).toMatch(/^application\/json/);
  const body = JSON.parse(answer.text);
  expectErrorShape(body, context);
  expect((CLIENT_ERROR_STATUS as Record<string, number>)[body.error.code], context).toBe(answer.status);
  if (answer.status === 429) expect(Number(answer.headers.get("retry-after")), context).toBeGreaterThanOrEqual(1);
  return { ok: false, body };
}

/** `{error: {code, message}}` and nothing else, with a documented client-facing code and a sentence. */
export function expectErrorShape(body: any, context: string): void {
  expect(body && typeof body === "object" && !Array.isArray(body), context).toBe(true);
  expect(Object.keys(body), context).toEqual(["error"]);
  expect(Object.keys(body.error).sort(), context).toEqual(["code", "message"]);
  expect(Object.keys(CLIENT_ERROR_STATUS), context).toContain(body.error.code);
  expect(typeof body.error.message, context).toBe("string");
  expect(body.error.message.length, context).toBeGreaterThan(0);
  expect(body.error.message.length, context).toBeLessThan(300);
  expect(body.error.message, `a leak in ${context}`).not.toMatch(LEAK);
}

/** A gateway ack: `{ok: true, ...}` or `{ok: false, error}` with a contract error. */
export function expectContractAck(ack: any, what: string): boolean {
  const context = `${what} -> ack ${safeJson(ack).slice(0, 300)}`;
  expect(ack && typeof ack === "object", context).toBe(true);
  if (ack.ok === true) return true;
  expect(ack.ok, context).toBe(false);
  expect(Object.keys(ack).sort(), context).toEqual(["error", "ok"]);
  expectErrorShape({ error: ack.error }, context);
  return false;
}

/** A short printable description of a fuzz case (huge strings cut, deep nesting cut, binary named). */
export function describeCase(value: unknown): string {
  return safeJson(shorten(value, 0)).slice(0, 1500);
}

function shorten(value: unknown, depth: number): unknown {
  if (typeof value === "string") return value.length > 80 ? `${value.slice(0, 40)}…(${value.length} chars)` : value;
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return `<${value.byteLength} bytes>`;
  if (value === undefined) return "<undefined>";
  if (typeof value === "bigint") return `${value}n`;
  if (!value || typeof value !== "object") return value;
  if (depth >= 6) return "…(deeper)";
  if (Array.isArray(value)) return value.slice(0, 8).map((v) => shorten(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).slice(0, 12)) Object.defineProperty(out, key, { value: shorten((value as Record<string, unknown>)[key], depth + 1), enumerable: true });
  return out;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
