// The IdempotencyStore contract: the first claim of a key wins and is remembered for the TTL
// (counted from that first claim), then forgotten.
import { describe, expect, test } from "vitest";
import type { IdempotencyStore } from "../../lib/ports/idempotency-store";
import type { TestClock } from "./clock";

/** Builds a store keeping keys for `ttlMs`, and the clock it runs on. */
export type MakeIdempotencyStore = (options: { ttlMs: number }) => Promise<{ store: IdempotencyStore; clock: TestClock }>;

export interface IdempotencyContractOptions {
  /**
   * The TTL the cases use (default 10 s). A store on a real clock (Redis expires keys on its
   * own time) passes a short one, so the expiry cases wait seconds rather than tens of seconds.
   */
  ttlMs?: number;
}

export function describeIdempotencyStoreContract(name: string, make: MakeIdempotencyStore, options: IdempotencyContractOptions = {}): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    const TTL = options.ttlMs ?? 10_000;
    const SHORTLY_BEFORE = Math.min(1_000, TTL / 3); // how long before expiry a repeat still finds the key
    // Unique per run: a shared database may still hold the keys of earlier runs.
    const run = `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
    let n = 0;
    const key = () => `nonce:${run}:channel:${++n}`;

    test("an unknown key is null", async () => {
      const { store } = await make({ ttlMs: TTL });
      expect(await store.get(key())).toBeNull();
    });

    test("the first claim binds the key; later claims get the first value", async () => {
      const { store } = await make({ ttlMs: TTL });
      const k = key();
      expect(await store.claim(k, "111")).toBe("111");
      expect(await store.claim(k, "222")).toBe("111");
      expect(await store.get(k)).toBe("111");
    });

    test("of concurrent claims, all get the value of the first", async () => {
      const { store } = await make({ ttlMs: TTL });
      const k = key();
      const values = await Promise.all(["1", "2", "3", "4", "5"].map((v) => store.claim(k, v)));
      expect(new Set(values).size).toBe(1);
      expect(await store.get(k)).toBe(values[0]);
    });

    test("keys are independent", async () => {
      const { store } = await make({ ttlMs: TTL });
      const [a, b] = [key(), key()];
      await store.claim(a, "A");
      expect(await store.get(b)).toBeNull();
      expect(await store.claim(b, "B")).toBe("B");
      expect(await store.get(a)).toBe("A");
    });

    test("a key is kept for the TTL after its first claim, then forgotten and free to bind again", async () => {
      const { store, clock } = await make({ ttlMs: TTL });
      const k = key();
      await store.claim(k, "first");
      await clock.advance(TTL - SHORTLY_BEFORE);
      expect(await store.claim(k, "ignored")).toBe("first"); // a repeat does not extend the TTL
      expect(await store.get(k)).toBe("first");
      await clock.advance(SHORTLY_BEFORE + 1);
      expect(await store.get(k)).toBeNull();
      expect(await store.claim(k, "second")).toBe("second");
      expect(await store.get(k)).toBe("second");
    });

    test("expiry of one key leaves a younger key alone", async () => {
      const { store, clock } = await make({ ttlMs: TTL });
      const [old, young] = [key(), key()];
      await store.claim(old, "old");
      await clock.advance(TTL / 2);
      await store.claim(young, "young");
      await clock.advance(TTL / 2 + 1);
      expect(await store.get(old)).toBeNull();
      expect(await store.get(young)).toBe("young");
    });
  });
}
