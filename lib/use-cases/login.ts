import { z } from "zod";
import type { Deps } from "../deps";
import type { User } from "../domain/types";
import { isUsername, parseInput } from "../domain/validation";
import { errors } from "../errors";

const schema = z.object({ username: z.string().max(256), password: z.string().max(1024) });

/** Checks a username and password; the same answer whether or not the user exists. */
export async function login(deps: Deps, { input }: { input: unknown }): Promise<{ user: User; token: string }> {
  const { username, password } = parseInput(schema, input);
  const name = username.trim().toLowerCase();
  // A name no account can have (a NUL, other letters) is not looked up, and answered the same.
  const record = isUsername(name) ? await deps.metadata.findUserByUsername(name) : null;
  const ok = await deps.passwords.verify(record?.passwordHash ?? "", password);
  if (!record || !ok) throw errors.unauthorized("Wrong username or password.");
  const user: User = { id: record.id, username: record.username, displayName: record.displayName };
  return { user, token: await deps.tokens.sign({ sub: user.id }) };
}
