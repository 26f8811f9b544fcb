// Turns a bearer token or session cookie value into an actor, or fails with UNAUTHORIZED.
import type { Deps } from "../deps";
import type { Actor } from "../domain/types";
import { errors } from "../errors";

export async function authenticate(deps: Pick<Deps, "tokens" | "metadata">, token: string | undefined | null): Promise<Actor> {
  return (await authenticateSession(deps, token)).actor;
}

/** The actor and when their credential stops working (ms since the epoch): a socket closes then. */
export async function authenticateSession(deps: Pick<Deps, "tokens" | "metadata">, token: string | undefined | null): Promise<{ actor: Actor; expiresAt: number }> {
  if (!token) throw errors.unauthorized();
  const claims = await deps.tokens.verify(token);
  if (!claims) throw errors.unauthorized("The token is invalid or has expired.");
  const user = await deps.metadata.getUser(claims.sub);
  if (!user) throw errors.unauthorized("The token names a user who no longer exists.");
  return { actor: { userId: user.id, user }, expiresAt: claims.exp * 1000 };
}
