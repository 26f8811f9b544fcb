/** Result of trying to spend one unit of a budget. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * A shared budget per key (e.g. 5 messages per user per second). `consume` is atomic across
 * callers; a refused attempt spends nothing.
 */
export interface RateLimiter {
  consume(key: string): Promise<RateDecision>;
  /**
   * Gives back one unit spent under `key` (the latest), for an attempt that turned out to need
   * none: a retried send answered with its original message.
   */
  refund(key: string): Promise<void>;
}
