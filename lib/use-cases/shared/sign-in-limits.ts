// The sign-in abuse limits (contract v2): wrong passwords per username and per client IP in any
// 15 minutes, registrations per IP per hour. A failure budget is spent before the password is
// checked and given back when it was right, so concurrent guesses cannot slip past the count,
// and beyond the limit even the right password waits (an attacker learns nothing from it).
import type { Deps } from "../../deps";
import { errors } from "../../errors";
import type { RateLimiter } from "../../ports/rate-limiter";

export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;
export const REGISTRATION_WINDOW_MS = 60 * 60_000;

export interface SignInLimiters {
  failuresPerUsername: RateLimiter;
  failuresPerIp: RateLimiter;
  registrationsPerIp: RateLimiter;
}

type Spent = Array<[RateLimiter, string]>;

/**
 * Spends one failure of the username's budget and one of the IP's, or throws RATE_LIMITED
 * (spending neither). Returns what to give back when the password turns out right.
 */
export async function spendFailureBudget(deps: Pick<Deps, "signInLimiters">, username: string, clientIp: string): Promise<() => Promise<void>> {
  const { failuresPerUsername, failuresPerIp } = deps.signInLimiters;
  const budgets: Spent = [
    [failuresPerUsername, `login-user:${username}`],
    [failuresPerIp, `login-ip:${clientIp}`],
  ];
  const spent: Spent = [];
  for (const [limiter, key] of budgets) {
    const decision = await limiter.consume(key);
    if (!decision.allowed) {
      await refundAll(spent);
      throw errors.budgetSpent(decision.retryAfterMs, "Too many failed sign-ins: wait before trying again.");
    }
    spent.push([limiter, key]);
  }
  return () => refundAll(spent);
}

/** Counts one registration from the client IP, or throws RATE_LIMITED. */
export async function spendRegistration(deps: Pick<Deps, "signInLimiters">, clientIp: string): Promise<void> {
  const decision = await deps.signInLimiters.registrationsPerIp.consume(`register-ip:${clientIp}`);
  if (!decision.allowed) throw errors.budgetSpent(decision.retryAfterMs, "Too many new accounts from this address: try again later.");
}

async function refundAll(spent: Spent): Promise<void> {
  await Promise.all(spent.map(([limiter, key]) => limiter.refund(key)));
}
