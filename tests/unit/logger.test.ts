// Logged errors keep what an operator needs (type, query text, code, stack) and lose the values
// a statement carried: drizzle's parameters, in its fields and in its message, and PostgreSQL's detail.
import { DrizzleQueryError } from "drizzle-orm";
import { Writable } from "node:stream";
import pino from "pino";
import { expect, test } from "vitest";
import { serializeError } from "../../lib/logger";

function logged(err: unknown): string {
  let text = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  pino({ serializers: { err: serializeError } }, sink).error({ err }, "request failed");
  return text;
}

test("a failed query is logged with its text and code, not its parameters", () => {
  const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_username_key"'), { code: "23505", detail: "Key (username)=(canary-user) already exists." });
  const err = new DrizzleQueryError("insert into messages (content) values ($1)", ["canary secret message"], cause);
  const text = logged(err);
  expect(text).toContain("insert into messages (content) values ($1)");
  expect(text).toContain("23505");
  expect(text).not.toContain("canary");
});

test("errors without values are logged as pino logs them", () => {
  const text = JSON.parse(logged(new TypeError("boom")));
  expect(text.err).toMatchObject({ type: "TypeError", message: "boom" });
  expect(text.err.stack).toContain("TypeError: boom");
});
