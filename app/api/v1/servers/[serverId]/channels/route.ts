// POST /api/v1/servers/{serverId}/channels: the owner adds a text channel.
import { Reply, route } from "@/lib/http/route";
import { createChannel } from "@/lib/use-cases/create-channel";

export const POST = route({ body: true }, async ({ deps, actor, params, body }) =>
  new Reply(201, await createChannel(deps, { actor, input: { ...body, serverId: params.serverId } })),
);
