// GET /api/v1/gateway: the gateway node this user should open Socket.IO on (contract v2 "Directory").
import { route } from "@/lib/http/route";
import { findGateway } from "@/lib/use-cases/find-gateway";

export const GET = route({}, ({ deps, actor, origin }) => findGateway(deps, { actor, input: { origin } }));
