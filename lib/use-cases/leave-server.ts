import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import { idSchema, parseInput } from "../domain/validation";
import { errors } from "../errors";
import { requireMember } from "./access";

const schema = z.object({ serverId: idSchema });

/** A member leaves; the owner cannot leave their own server. */
export async function leaveServer(deps: Deps, { actor, input }: UseCaseContext): Promise<void> {
  const { serverId } = parseInput(schema, input);
  const server = await requireMember(deps, serverId, actor.userId);
  if (server.ownerId === actor.userId) throw errors.conflict("The owner cannot leave their own server.");
  if (await deps.metadata.removeMember(serverId, actor.userId)) {
    const memberCount = await deps.metadata.countMembers(serverId);
    await Promise.all([
      deps.memberLists.apply(serverId, { type: "leave", userId: actor.userId }),
      deps.events.publish({ type: "member.removed", serverId, userId: actor.userId, memberCount }),
    ]);
  }
}
