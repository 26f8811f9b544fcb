// IdempotencyStore on PostgreSQL/PGlite: keys outlive the process, so retries across a
// restart (or across nodes sharing the database) still find the original message.
import { and, eq, gt, lte } from "drizzle-orm";
import type { IdempotencyStore } from "../../ports/idempotency-store";
import type { Db } from "./client";
import { idempotencyKeys } from "./schema";

const SWEEP_EVERY_MS = 60_000;

export class DrizzleIdempotencyStore implements IdempotencyStore {
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<string | null> {
    const [row] = await this.db
      .select({ value: idempotencyKeys.value })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.key, key), gt(idempotencyKeys.expiresAt, new Date(this.now()))))
      .limit(1);
    return row?.value ?? null;
  }

  async claim(key: string, value: string): Promise<string> {
    await this.sweep();
    const now = this.now();
    const expiresAt = new Date(now + this.ttlMs);
    // One statement, so concurrent claims agree: a live key wins, an expired one is replaced.
    const [bound] = await this.db
      .insert(idempotencyKeys)
      .values({ key, value, expiresAt })
      .onConflictDoUpdate({ target: idempotencyKeys.key, set: { value, expiresAt }, setWhere: lte(idempotencyKeys.expiresAt, new Date(now)) })
      .returning({ value: idempotencyKeys.value });
    if (bound) return bound.value;
    const [existing] = await this.db.select({ value: idempotencyKeys.value }).from(idempotencyKeys).where(eq(idempotencyKeys.key, key)).limit(1);
    return existing?.value ?? value;
  }

  /** Drops expired keys now and then; a failed sweep only delays the cleanup. */
  private async sweep(): Promise<void> {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await this.db
      .delete(idempotencyKeys)
      .where(lte(idempotencyKeys.expiresAt, new Date(now)))
      .catch(() => {});
  }
}
