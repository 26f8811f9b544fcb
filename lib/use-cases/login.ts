import { z } from "zod";
import type { Deps } from "../deps";
import type { User } from "../domain/types";
import { isUsername, parseInput } from "../domain/validation";
import { errors } from "../errors";
import { openSession } from "./shared/sessions";
import { spendFailureBudget } from "./shared/sign-in-limits";

const schema = z.object({ username: z.string().max(256), password: z.string().max(1024) });

/** Where a sign-in attempt comes from (the login limits count by it). */
export interface SignInSource {
  clientIp: string;
}

/**
 * Checks a username and password; the same answer whether or not the user exists. Wrong
 * passwords are limited per username and per client IP (shared/sign-in-limits.ts).
 */
export async function login(deps: Deps, { input, source }: { input: unknown; source: SignInSource }): Promise<{ user: User; token: string }> {
  const { username, password } = parseInput(schema, input);
  const name = username.trim().toLowerCase();
  const giveBack = await spendFailureBudget(deps, name, source.clientIp);
  // A name no account can have (a NUL, other letters) is not looked up, and answered the same.
  const record = isUsername(name) ? await deps.metadata.findUserByUsername(name) : null;
  const ok = await deps.passwords.verify(record?.passwordHash ?? "", password);
  if (!record || !ok) throw errors.unauthorized("Wrong username or password.");
  await giveBack();
  const user: User = { id: record.id, username: record.username, displayName: record.displayName };
  return { user, token: await openSession(deps, user.id) };
}
