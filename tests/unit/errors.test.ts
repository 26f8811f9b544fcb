import { describe, expect, test } from "vitest";
import { AppError, errorBody, errors, httpStatusOf, toAppError, type ErrorCode } from "../../lib/errors";

describe("each error code has the contract's HTTP status", () => {
  test.each<[ErrorCode, number]>([
    ["VALIDATION_FAILED", 400],
    ["UNAUTHORIZED", 401],
    ["FORBIDDEN", 403],
    ["NOT_FOUND", 404],
    ["CONFLICT", 409],
    ["PAYLOAD_TOO_LARGE", 413],
    ["RATE_LIMITED", 429],
    ["INTERNAL", 500],
    ["UNAVAILABLE", 503],
  ])("%s -> %i", (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });
});

describe("the error helpers", () => {
  test.each<[string, AppError, ErrorCode]>([
    ["validation", errors.validation("content: too long"), "VALIDATION_FAILED"],
    ["unauthorized", errors.unauthorized(), "UNAUTHORIZED"],
    ["forbidden", errors.forbidden(), "FORBIDDEN"],
    ["notFound", errors.notFound("Channel"), "NOT_FOUND"],
    ["conflict", errors.conflict("That username is taken."), "CONFLICT"],
    ["payloadTooLarge", errors.payloadTooLarge(), "PAYLOAD_TOO_LARGE"],
    ["rateLimited", errors.rateLimited(2), "RATE_LIMITED"],
    ["unavailable", errors.unavailable(), "UNAVAILABLE"],
  ])("%s makes an AppError with code and a human sentence", (_name, err, code) => {
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe(code);
    expect(err.message.length).toBeGreaterThan(3);
  });

  test("rateLimited carries whole seconds to wait", () => {
    expect(errors.rateLimited(3).retryAfterSeconds).toBe(3);
  });

  test("notFound names what was missing", () => {
    expect(errors.notFound("Invite").message).toBe("Invite not found.");
  });

  test("errorBody is {error: {code, message}}", () => {
    expect(errorBody(errors.forbidden("No."))).toEqual({ error: { code: "FORBIDDEN", message: "No." } });
  });
});

describe("toAppError", () => {
  test("keeps an AppError as it is", () => {
    const err = errors.conflict("taken");
    expect(toAppError(err)).toBe(err);
  });

  const driverError = Object.assign(new Error('duplicate key value violates unique constraint "users_username_key" at 10.0.0.7:5432'), {
    code: "23505",
    stack: "Error: at Client.query (/srv/node_modules/pg/lib/client.js:1:1)",
  });
  test.each<[string, unknown]>([
    ["a driver error", driverError],
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'id')")],
    ["a thrown string", "secret connection string postgres://user:pw@db/parley"],
    ["an object that looks like an error code", { code: "FORBIDDEN", message: "spoofed" }],
    ["undefined", undefined],
  ])("turns %s into INTERNAL with a generic message", (_label, thrown) => {
    const err = toAppError(thrown);
    expect(err.code).toBe("INTERNAL");
    expect(httpStatusOf(err.code)).toBe(500);
    expect(err.message).toBe("Something went wrong on our side.");
    expect(JSON.stringify(errorBody(err))).not.toMatch(/5432|pg|postgres|spoofed|undefined|stack/);
  });
});

describe("a backing store that is away becomes UNAVAILABLE, not INTERNAL", () => {
  const withCode = (code: string) => Object.assign(new Error("boom"), { code });
  test.each<[string, unknown]>([
    ["a refused connection", withCode("ECONNREFUSED")],
    ["a reset connection", withCode("ECONNRESET")],
    ["a PostgreSQL connection exception (class 08)", withCode("08006")],
    ["a PostgreSQL admin shutdown (57P01)", withCode("57P01")],
    ["pg's terminated connection", new Error("Connection terminated unexpectedly")],
    ["an ORM error whose cause is a refused connection", Object.assign(new Error("Failed query"), { cause: withCode("ECONNREFUSED") })],
    ["several refused addresses at once", new AggregateError([withCode("ECONNREFUSED")], "connect failed")],
  ])("%s", (_what, err) => {
    const mapped = toAppError(err);
    expect(mapped.code).toBe("UNAVAILABLE");
    expect(httpStatusOf(mapped.code)).toBe(503);
  });

  test.each<[string, unknown]>([
    ["a unique violation", withCode("23505")],
    ["a plain bug", new TypeError("x is undefined")],
  ])("%s stays INTERNAL", (_what, err) => {
    expect(toAppError(err).code).toBe("INTERNAL");
  });
});

describe("an AppError from another copy of the module (Next bundles route handlers separately)", () => {
  test("is still recognised, keeping its code instead of becoming INTERNAL", async () => {
    // @ts-expect-error -- a query string makes Node load a second, independent copy of the module.
    const other = (await import("../../lib/errors.ts?copy")) as typeof import("../../lib/errors");
    expect(other.AppError).not.toBe(AppError);
    const foreign = other.errors.unavailable();
    expect(foreign instanceof AppError).toBe(true);
    expect(toAppError(foreign).code).toBe("UNAVAILABLE");
    expect(new Error("plain") instanceof AppError).toBe(false);
  });
});
