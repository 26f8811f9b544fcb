// Both IdempotencyStore implementations through the same cases: the embedded database one
// (what the server uses) and the in-memory one.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase, type Database } from "../../lib/adapters/db/client";
import { DrizzleIdempotencyStore } from "../../lib/adapters/db/idempotency-store";
import { MemoryIdempotencyStore } from "../../lib/adapters/memory/idempotency-store";
import type { IdempotencyStore } from "../../lib/ports/idempotency-store";

const TTL_MS = 10 * 60 * 1000;
let database: Database;

beforeAll(async () => {
  database = await openDatabase({ kind: "pglite", dataDir: "memory://" }, path.resolve(import.meta.dirname, "../../drizzle"));
});
afterAll(async () => {
  await database?.close();
});

let keyCounter = 0;
const freshKey = () => `nonce:1:2:key-${++keyCounter}`;

const implementations: Array<[string, (now: () => number) => IdempotencyStore]> = [
  ["database", (now) => new DrizzleIdempotencyStore(database.db, TTL_MS, now)],
  ["memory", (now) => new MemoryIdempotencyStore(TTL_MS, now)],
];

describe.each(implementations)("%s idempotency store", (_name, make) => {
  let clock = Date.parse("2026-03-01T00:00:00Z");
  const now = () => clock;

  test("an unknown key has no value", async () => {
    expect(await make(now).get(freshKey())).toBeNull();
  });

  test("the first claim binds the key, and later claims get the first value", async () => {
    const store = make(now);
    const key = freshKey();
    expect(await store.claim(key, "111")).toBe("111");
    expect(await store.claim(key, "222")).toBe("111");
    expect(await store.get(key)).toBe("111");
  });

  test("concurrent claims of one key all agree on one value", async () => {
    const store = make(now);
    const key = freshKey();
    const values = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claim(key, String(1000 + i))));
    expect(new Set(values).size).toBe(1);
    expect(await store.get(key)).toBe(values[0]);
  });

  test("keys are independent", async () => {
    const store = make(now);
    const [k1, k2] = [freshKey(), freshKey()];
    await store.claim(k1, "1");
    await store.claim(k2, "2");
    expect([await store.get(k1), await store.get(k2)]).toEqual(["1", "2"]);
  });

  test("a key lasts at least the TTL, then may be bound again", async () => {
    const store = make(now);
    const key = freshKey();
    await store.claim(key, "old");
    clock += TTL_MS - 1;
    expect(await store.get(key)).toBe("old");
    clock += 2;
    expect(await store.get(key)).toBeNull();
    expect(await store.claim(key, "new")).toBe("new");
    expect(await store.get(key)).toBe("new");
  });
});
