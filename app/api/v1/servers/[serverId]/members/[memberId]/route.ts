// DELETE /api/v1/servers/{serverId}/members/@me: leave a server.
import { errors } from "@/lib/errors";
import { Reply, route } from "@/lib/http/route";
import { leaveServer } from "@/lib/use-cases/leave-server";

export const DELETE = route({}, async ({ deps, actor, params }) => {
  if (params.memberId !== "@me") throw errors.notFound("Member");
  await leaveServer(deps, { actor, input: { serverId: params.serverId } });
  return new Reply(204);
});
