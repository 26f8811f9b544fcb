/** Result of trying to spend one unit of a budget. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * A shared budget per key (e.g. 5 messages per user per second). `consume` is atomic across
 * callers; a refused attempt spends nothing.
 */
export interface RateLimiter {
  consume(key: string): Promise<RateDecision>;
}
