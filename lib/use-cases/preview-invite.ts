import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import type { InvitePreview } from "../domain/types";
import { parseInput } from "../domain/validation";
import { errors } from "../errors";
import { couldBeInviteCode } from "../ids/invite-codes";

const schema = z.object({ code: z.string() });

/** What an invite leads to, for any signed-in user. Codes have no format: unknown is 404. */
export async function previewInvite(deps: Deps, { input }: UseCaseContext): Promise<InvitePreview> {
  const { code } = parseInput(schema, input);
  const serverId = couldBeInviteCode(code) ? await deps.metadata.findInviteServerId(code) : null;
  const server = serverId ? await deps.metadata.getServer(serverId) : null;
  if (!server) throw errors.notFound("Invite");
  const memberCount = await deps.metadata.countMembers(server.id);
  return { code, server: { id: server.id, name: server.name, memberCount } };
}
