import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import type { Server } from "../domain/types";
import { parseInput } from "../domain/validation";
import { errors } from "../errors";
import { couldBeInviteCode } from "../ids/invite-codes";

const schema = z.object({ code: z.string() });

/** Joins the invite's server; joining again is not an error and announces nothing. */
export async function acceptInvite(deps: Deps, { actor, input }: UseCaseContext): Promise<Server> {
  const { code } = parseInput(schema, input);
  const serverId = couldBeInviteCode(code) ? await deps.metadata.findInviteServerId(code) : null;
  const server = serverId ? await deps.metadata.getServer(serverId) : null;
  if (!server) throw errors.notFound("Invite");
  const { added, membership } = await deps.metadata.addMember(server.id, actor.userId, deps.now());
  if (added) {
    const [status] = (await deps.presence.getStatuses([actor.userId])).values();
    const member = { ...membership, status: status ?? "offline" };
    const memberCount = await deps.metadata.countMembers(server.id);
    await Promise.all([
      deps.memberLists.apply(server.id, { type: "join", member }),
      deps.events.publish({ type: "member.added", serverId: server.id, member, memberCount }),
    ]);
    await deps.events.publish({ type: "server.joined", userId: actor.userId, server });
  }
  return server;
}
