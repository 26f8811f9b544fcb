// Turns a bearer token or session cookie value into an actor, or fails with UNAUTHORIZED.
import type { Deps } from "../deps";
import type { Actor } from "../domain/types";
import type { Snowflake } from "../ids/snowflake";
import { errors } from "../errors";

export async function authenticate(deps: Pick<Deps, "tokens" | "metadata" | "sessions">, token: string | undefined | null): Promise<Actor> {
  return (await authenticateSession(deps, token)).actor;
}

export interface Session {
  actor: Actor;
  /** The sign-in the credential belongs to (what logout ends). */
  sessionId: Snowflake;
  /** When the credential stops working (ms since the epoch): a socket closes then. */
  expiresAt: number;
}

/** The actor, their sign-in and when the credential expires; UNAUTHORIZED for a bad, expired or ended one. */
export async function authenticateSession(deps: Pick<Deps, "tokens" | "metadata" | "sessions">, token: string | undefined | null): Promise<Session> {
  if (!token) throw errors.unauthorized();
  const claims = await deps.tokens.verify(token);
  if (!claims) throw errors.unauthorized("The token is invalid or has expired.");
  if (deps.sessions.isRevoked(claims.sub, claims.sid)) throw errors.unauthorized("This session has ended: sign in again.");
  const user = await deps.metadata.getUser(claims.sub);
  if (!user) throw errors.unauthorized("The token names a user who no longer exists.");
  return { actor: { userId: user.id, user }, sessionId: claims.sid, expiresAt: claims.exp * 1000 };
}
