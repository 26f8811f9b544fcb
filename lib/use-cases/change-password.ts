import { z } from "zod";
import type { Deps } from "../deps";
import { parseInput, passwordSchema } from "../domain/validation";
import { errors } from "../errors";
import type { Session } from "./authenticate";
import type { SignInSource } from "./login";
import { openSession, revocationExpiry } from "./shared/sessions";
import { spendFailureBudget } from "./shared/sign-in-limits";

const schema = z.object({ currentPassword: z.string().max(1024), newPassword: passwordSchema });

/**
 * Replaces the password and ends every other sign-in of the user, the one that asked too
 * (contract v2): the answer is a token of a new sign-in, opened after the cut. A wrong current
 * password is FORBIDDEN and counts as a failed sign-in (shared/sign-in-limits.ts).
 */
export async function changePassword(deps: Deps, { session, input, source }: { session: Pick<Session, "actor">; input: unknown; source: SignInSource }): Promise<{ token: string }> {
  const { currentPassword, newPassword } = parseInput(schema, input);
  const { userId, user } = session.actor;
  const giveBack = await spendFailureBudget(deps, user.username, source.clientIp);
  const record = await deps.metadata.findUserByUsername(user.username);
  if (!record || !(await deps.passwords.verify(record.passwordHash, currentPassword))) throw errors.forbidden("The current password is wrong.");
  await giveBack();
  if (!(await deps.metadata.setPasswordHash(userId, await deps.passwords.hash(newPassword)))) throw errors.unauthorized("The token names a user who no longer exists.");
  // Sign-ins opened before this id end; the one returned is opened after it.
  await deps.sessions.revoke({ kind: "before", userId, sessionId: deps.ids.next(), expiresAt: revocationExpiry(deps) });
  return { token: await openSession(deps, userId) };
}
