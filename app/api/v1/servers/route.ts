// GET /api/v1/servers: the caller's servers. POST: create a server owned by the caller.
import { Reply, route } from "@/lib/http/route";
import { createServer } from "@/lib/use-cases/create-server";
import { listServers } from "@/lib/use-cases/list-servers";

export const GET = route({}, ({ deps, actor }) => listServers(deps, { actor, input: {} }));

export const POST = route({ body: true }, async ({ deps, actor, body }) => new Reply(201, await createServer(deps, { actor, input: body })));
