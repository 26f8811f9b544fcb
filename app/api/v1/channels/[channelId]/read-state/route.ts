// PUT /api/v1/channels/{channelId}/read-state {lastReadId}: marks the channel read up to a message.
import { route } from "@/lib/http/route";
import { markRead } from "@/lib/use-cases/mark-read";

export const PUT = route({ body: true }, ({ deps, actor, params, body }) =>
  markRead(deps, { actor, input: { ...body, channelId: params.channelId } }),
);
