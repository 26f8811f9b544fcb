import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import { idSchema, parseInput } from "../domain/validation";
import { errors } from "../errors";
import { requireMember } from "./access";

const schema = z.object({ serverId: idSchema });

/** Any member may invite; codes do not expire. */
export async function createInvite(deps: Deps, { actor, input }: UseCaseContext): Promise<{ code: string; serverId: string }> {
  const { serverId } = parseInput(schema, input);
  await requireMember(deps, serverId, actor.userId);
  const budget = await deps.inviteRateLimiter.consume(`invites:${actor.userId}`);
  if (!budget.allowed) throw errors.budgetSpent(budget.retryAfterMs, "You have created too many invites this hour.");
  const code = deps.inviteCodes();
  await deps.metadata.createInvite({ code, serverId, creatorId: actor.userId });
  return { code, serverId };
}
