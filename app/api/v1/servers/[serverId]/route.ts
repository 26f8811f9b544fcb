// GET /api/v1/servers/{serverId}: one server with its channels, for members.
import { route } from "@/lib/http/route";
import { getServer } from "@/lib/use-cases/get-server";

export const GET = route({}, ({ deps, actor, params }) => getServer(deps, { actor, input: params }));
