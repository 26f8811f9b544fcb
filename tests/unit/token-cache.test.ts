// Verified tokens are remembered, but never past their own expiry and never across keys.
import { afterEach, expect, test, vi } from "vitest";
import { createTokenService } from "../../lib/auth/tokens";

afterEach(() => {
  vi.useRealTimers();
});

test("a token verified once is still refused after it expires", async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-06-01T00:00:00Z"));
  const tokens = createTokenService("a secret long enough for HS256 tests");
  const token = await tokens.sign({ sub: "42", sid: "42" }, 60);
  expect((await tokens.verify(token))?.sub).toBe("42");
  expect((await tokens.verify(token))?.sub).toBe("42");
  vi.setSystemTime(new Date("2026-06-01T00:01:01Z"));
  expect(await tokens.verify(token)).toBeNull();
});

test("a token remembered by one service is not accepted by a service with another secret", async () => {
  const a = createTokenService("the first secret, long enough for HS256");
  const b = createTokenService("the second secret, long enough for HS256");
  const token = await a.sign({ sub: "7", sid: "7" });
  expect((await a.verify(token))?.sub).toBe("7");
  expect(await b.verify(token)).toBeNull();
});
