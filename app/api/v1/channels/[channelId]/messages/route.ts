// GET /api/v1/channels/{channelId}/messages: history, newest first. POST: send a message.
import { Reply, route } from "@/lib/http/route";
import { listMessages } from "@/lib/use-cases/list-messages";
import { sendMessage } from "@/lib/use-cases/send-message";

export const GET = route({}, ({ deps, actor, params, query }) => listMessages(deps, { actor, input: { ...query, ...params } }));

export const POST = route({ body: true }, async ({ deps, actor, params, body }) => {
  const { message, created } = await sendMessage(deps, { actor, input: { ...body, channelId: params.channelId } });
  return new Reply(created ? 201 : 200, message);
});
