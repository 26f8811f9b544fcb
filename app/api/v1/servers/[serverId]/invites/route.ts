// POST /api/v1/servers/{serverId}/invites: any member makes an invite code.
import { Reply, route } from "@/lib/http/route";
import { createInvite } from "@/lib/use-cases/create-invite";

export const POST = route({}, async ({ deps, actor, params }) => new Reply(201, await createInvite(deps, { actor, input: params })));
