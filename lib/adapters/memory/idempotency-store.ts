// Idempotency keys for a single process, each kept for `ttlMs` after it was first claimed.
import type { IdempotencyStore } from "../../ports/idempotency-store";

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private lastSweep = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<string | null> {
    return this.lookup(key);
  }

  async claim(key: string, value: string): Promise<string> {
    this.sweep();
    // No await between the lookup and the set: that is what makes concurrent claims agree.
    const existing = this.lookup(key);
    if (existing !== null) return existing;
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  private lookup(key: string): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  private sweep() {
    const now = this.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
