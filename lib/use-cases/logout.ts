import type { Deps } from "../deps";
import type { Session } from "./authenticate";
import { revocationExpiry } from "./shared/sessions";

/**
 * Ends the sign-in the request was made with: every token of it (a cookie's renewals too) stops
 * working on every node, and its open connections close (contract v2). Other sign-ins of the
 * user stay.
 */
export async function logout(deps: Pick<Deps, "sessions" | "now">, session: { actor: Pick<Session["actor"], "userId">; sessionId: Session["sessionId"] }): Promise<void> {
  await deps.sessions.revoke({ kind: "session", userId: session.actor.userId, sessionId: session.sessionId, expiresAt: revocationExpiry(deps) });
}
