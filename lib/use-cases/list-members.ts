import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import type { Member } from "../domain/types";
import { boundedInt, idSchema, parseInput } from "../domain/validation";
import { requireMember } from "./access";

const schema = z.object({
  serverId: idSchema,
  limit: boundedInt(1, 1000, 100),
  after: idSchema.optional(),
});

/** A page of members ordered by user id, each with their visible presence. */
export async function listMembers(deps: Deps, { actor, input }: UseCaseContext): Promise<Member[]> {
  const { serverId, limit, after } = parseInput(schema, input);
  await requireMember(deps, serverId, actor.userId);
  const page = await deps.metadata.listMembers(serverId, { limit, after });
  const statuses = await deps.presence.getStatuses(page.map((m) => m.user.id));
  return page.map((m) => ({ ...m, status: statuses.get(m.user.id) ?? "offline" }));
}
