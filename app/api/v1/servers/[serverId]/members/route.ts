// GET /api/v1/servers/{serverId}/members?limit&after: members by user id, with presence.
import { route } from "@/lib/http/route";
import { listMembers } from "@/lib/use-cases/list-members";

export const GET = route({}, ({ deps, actor, params, query }) => listMembers(deps, { actor, input: { ...query, ...params } }));
