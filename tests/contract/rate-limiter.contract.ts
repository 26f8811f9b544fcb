// The RateLimiter contract: a budget of `points` per key in any sliding `windowMs`, shared by
// every caller; a refused attempt spends nothing and says how long to wait.
import { describe, expect, test } from "vitest";
import type { RateLimiter } from "../../lib/ports/rate-limiter";
import type { TestClock } from "./clock";

/** Builds a limiter and the clock it runs on (a fake one when the implementation accepts it). */
export type MakeRateLimiter = (options: { points: number; windowMs: number }) => Promise<{ limiter: RateLimiter; clock: TestClock }>;

export function describeRateLimiterContract(name: string, make: MakeRateLimiter): void {
  describe(`RateLimiter contract: ${name}`, () => {
    const fivePerSecond = () => make({ points: 5, windowMs: 1000 });
    const spend = async (limiter: RateLimiter, key: string, times: number) => {
      const decisions = [];
      for (let i = 0; i < times; i++) decisions.push(await limiter.consume(key));
      return decisions;
    };

    test("allows 5 at once and refuses the 6th with a wait of at most the window", async () => {
      const { limiter } = await fivePerSecond();
      const decisions = await spend(limiter, "user:a", 6);
      expect(decisions.slice(0, 5)).toEqual(Array(5).fill({ allowed: true }));
      const sixth = decisions[5]!;
      expect(sixth.allowed).toBe(false);
      if (sixth.allowed) return;
      expect(sixth.retryAfterMs).toBeGreaterThan(0);
      expect(sixth.retryAfterMs).toBeLessThanOrEqual(1000);
    });

    test("a refund gives one spent unit back to its key, and only to its key", async () => {
      const { limiter } = await fivePerSecond();
      await spend(limiter, "user:a", 5);
      await spend(limiter, "user:b", 5);
      await limiter.refund("user:a");
      expect(await limiter.consume("user:a")).toEqual({ allowed: true });
      expect((await limiter.consume("user:a")).allowed).toBe(false);
      expect((await limiter.consume("user:b")).allowed).toBe(false);
      await limiter.refund("nobody"); // nothing spent: nothing happens
      expect(await limiter.consume("nobody")).toEqual({ allowed: true });
    });

    test("keys have budgets of their own", async () => {
      const { limiter } = await fivePerSecond();
      await spend(limiter, "user:a", 5);
      expect((await limiter.consume("user:a")).allowed).toBe(false);
      expect(await limiter.consume("user:b")).toEqual({ allowed: true });
    });

    test("waiting retryAfterMs is enough to be allowed again", async () => {
      const { limiter, clock } = await fivePerSecond();
      await spend(limiter, "k", 5);
      await clock.advance(300);
      const refused = await limiter.consume("k");
      expect(refused.allowed).toBe(false);
      if (refused.allowed) return;
      expect(refused.retryAfterMs).toBeLessThanOrEqual(700);
      await clock.advance(refused.retryAfterMs);
      expect(await limiter.consume("k")).toEqual({ allowed: true });
    });

    test("a refused attempt spends nothing", async () => {
      const { limiter, clock } = await fivePerSecond();
      await spend(limiter, "k", 5);
      for (let i = 0; i < 10; i++) {
        await clock.advance(50);
        expect((await limiter.consume("k")).allowed).toBe(false);
      }
      await clock.advance(1000 - 500 + 1); // the first five are now out of the window
      expect((await spend(limiter, "k", 5)).every((d) => d.allowed)).toBe(true);
    });

    test("the window slides: never more than 5 allowed in any one second", async () => {
      const { limiter, clock } = await fivePerSecond();
      // Each allowed attempt was decided somewhere between `sent` and `answered` (the same
      // instant on a fake clock; a round trip apart on a real one, whose store keeps its own time).
      const allowed: Array<{ sent: number; answered: number }> = [];
      for (let step = 0; step < 30; step++) {
        const sent = clock.now();
        if ((await limiter.consume("k")).allowed) allowed.push({ sent, answered: clock.now() });
        await clock.advance(100);
      }
      // Those surely decided within one second of the i-th (counting it) are at most 5.
      allowed.forEach((first, i) => expect(allowed.slice(i).filter((later) => later.answered < first.sent + 1000).length).toBeLessThanOrEqual(5));
      expect(allowed.length).toBeGreaterThanOrEqual(15); // and the budget does come back: 5 per second over 3 s
    });

    test("concurrent attempts on one key: exactly the budget is allowed", async () => {
      const { limiter } = await fivePerSecond();
      const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.consume("hot")));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    });
  });
}
