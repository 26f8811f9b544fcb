// /api/health's verdict: a load balancer takes a node out only when it cannot serve.
import { describe, expect, test } from "vitest";
import { healthStatusOf } from "../../server/http/health";

describe("health status", () => {
  test.each([
    [{ app: "ok", database: "ok", messages: "ok", redis: "ok" }, "ok"],
    [{ app: "ok", database: "ok", messages: "ok" }, "ok"],
    [{ app: "ok", database: "ok", messages: "ok", redis: "failing: error" }, "degraded"],
    [{ app: "ok", database: "ok", messages: "ok", redis: "failing: timed out" }, "degraded"],
    [{ app: "ok", database: "failing: error", messages: "ok", redis: "ok" }, "unavailable"],
    [{ app: "ok", database: "ok", messages: "failing: timed out", redis: "failing: error" }, "unavailable"],
    [{ app: "failing: starting", database: "ok", messages: "ok" }, "unavailable"],
  ])("%j -> %s", (checks, expected) => {
    expect(healthStatusOf(checks)).toBe(expected);
  });
});
