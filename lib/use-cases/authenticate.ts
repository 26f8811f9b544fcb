// Turns a bearer token or session cookie value into an actor, or fails with UNAUTHORIZED.
import type { Deps } from "../deps";
import type { Actor } from "../domain/types";
import { errors } from "../errors";

export async function authenticate(deps: Pick<Deps, "tokens" | "metadata">, token: string | undefined | null): Promise<Actor> {
  if (!token) throw errors.unauthorized();
  const claims = await deps.tokens.verify(token);
  if (!claims) throw errors.unauthorized("The token is invalid or has expired.");
  const user = await deps.metadata.getUser(claims.sub);
  if (!user) throw errors.unauthorized("The token names a user who no longer exists.");
  return { userId: user.id, user };
}
