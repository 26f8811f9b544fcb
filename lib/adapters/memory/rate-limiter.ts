// A sliding-window limit kept in this process: at most `points` events per key in any window.
import type { RateDecision, RateLimiter } from "../../ports/rate-limiter";

export class MemoryRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly points: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async consume(key: string): Promise<RateDecision> {
    const now = this.now();
    this.sweep(now);
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.points) {
      this.hits.set(key, recent);
      return { allowed: false, retryAfterMs: recent[0]! + this.windowMs - now };
    }
    recent.push(now);
    this.hits.set(key, recent);
    return { allowed: true };
  }

  async refund(key: string): Promise<void> {
    this.hits.get(key)?.pop();
  }

  /** Drops idle keys now and then so memory tracks active users only. */
  private sweep(now: number) {
    if (now - this.lastSweep < this.windowMs * 10) return;
    this.lastSweep = now;
    for (const [key, times] of this.hits) {
      if (times.every((t) => t <= now - this.windowMs)) this.hits.delete(key);
    }
  }
}
