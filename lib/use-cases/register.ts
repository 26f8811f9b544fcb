import { z } from "zod";
import type { Deps } from "../deps";
import type { User } from "../domain/types";
import { displayNameSchema, parseInput, passwordSchema, usernameSchema } from "../domain/validation";
import { errors } from "../errors";
import type { SignInSource } from "./login";
import { openSession } from "./shared/sessions";
import { spendRegistration } from "./shared/sign-in-limits";

const schema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  displayName: displayNameSchema.optional(),
});

/** Creates an account and signs the new user in; REGISTER_PER_IP_PER_HOUR per client IP. */
export async function register(deps: Deps, { input, source }: { input: unknown; source: SignInSource }): Promise<{ user: User; token: string }> {
  const { username, password, displayName } = parseInput(schema, input);
  await spendRegistration(deps, source.clientIp);
  const user = await deps.metadata.createUser({
    id: deps.ids.next(),
    username,
    displayName: displayName ?? username,
    passwordHash: await deps.passwords.hash(password),
  });
  if (!user) throw errors.conflict("That username is taken.");
  return { user, token: await openSession(deps, user.id) };
}
