import { z } from "zod";
import type { Deps } from "../deps";
import type { User } from "../domain/types";
import { displayNameSchema, parseInput, passwordSchema, usernameSchema } from "../domain/validation";
import { errors } from "../errors";

const schema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  displayName: displayNameSchema.optional(),
});

/** Creates an account and signs the new user in. */
export async function register(deps: Deps, { input }: { input: unknown }): Promise<{ user: User; token: string }> {
  const { username, password, displayName } = parseInput(schema, input);
  const user = await deps.metadata.createUser({
    id: deps.ids.next(),
    username,
    displayName: displayName ?? username,
    passwordHash: await deps.passwords.hash(password),
  });
  if (!user) throw errors.conflict("That username is taken.");
  return { user, token: await deps.tokens.sign({ sub: user.id }) };
}
