import type { Deps, UseCaseContext } from "../deps";
import type { User } from "../domain/types";

export async function getCurrentUser(_deps: Deps, { actor }: UseCaseContext): Promise<User> {
  return actor.user;
}
