// Calls on one connection under a budget (`channels:focus`, `members:subscribe`): applied one
// after the other, in the order they arrived, so the last call made is what holds. Over the
// budget a call is refused RATE_LIMITED, after its own validation and access errors (as the
// contract orders errors), and changes nothing. While one refused call is still being checked,
// further ones are refused at once: a client that floods cannot queue up work.
import type { AppError } from "../../lib/errors";

export class BudgetedCalls {
  private readonly budget: CallBudget;
  /** The last call within the budget: the next one is applied after it. */
  private previous: Promise<unknown> = Promise.resolve();
  /** A call over the budget is being checked. */
  private refusing = false;

  constructor(limit: number, windowMs: number) {
    this.budget = new CallBudget(limit, windowMs);
  }

  /** `check` validates and authorizes (and throws its own errors); `apply` makes the call hold. */
  async run<T>(check: () => Promise<T>, apply: (checked: T) => void, refusal: (retryAfterMs: number) => AppError): Promise<void> {
    const retryAfterMs = this.budget.take(performance.now());
    if (retryAfterMs > 0) {
      if (this.refusing) throw refusal(retryAfterMs);
      this.refusing = true;
      try {
        await check();
      } finally {
        this.refusing = false;
      }
      throw refusal(retryAfterMs);
    }
    const applied = this.previous.then(async () => apply(await check()));
    this.previous = applied.catch(() => {});
    return applied;
  }
}

/** A sliding window of at most `limit` calls per `windowMs`; holds `limit` timestamps at most. */
export class CallBudget {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** 0 when a call at `now` (ms) is within the budget (and counts it); else ms until one would be. */
  take(now: number): number {
    while (this.times.length > 0 && now - this.times[0]! >= this.windowMs) this.times.shift();
    if (this.times.length >= this.limit) return this.times[0]! + this.windowMs - now;
    this.times.push(now);
    return 0;
  }
}
