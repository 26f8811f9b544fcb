// Sign-ins: every token names the sign-in (`sid`) it belongs to, so that logout and password
// changes can end it (ports/session-revocations.ts).
import { TOKEN_TTL_SECONDS } from "../../auth/tokens";
import type { Deps } from "../../deps";
import type { Snowflake } from "../../ids/snowflake";

/** Opens a new sign-in for the user and returns its first token. */
export function openSession(deps: Pick<Deps, "tokens" | "ids">, userId: Snowflake): Promise<string> {
  return deps.tokens.sign({ sub: userId, sid: deps.ids.next() });
}

/**
 * When every token a sign-in opened now may have issued has expired: next-auth renews its
 * cookie on use, so a revocation is kept a whole token lifetime from now.
 */
export function revocationExpiry(deps: Pick<Deps, "now">): number {
  return deps.now().getTime() + TOKEN_TTL_SECONDS * 1000;
}
