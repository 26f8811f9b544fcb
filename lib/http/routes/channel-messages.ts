// /api/v1/channels/{channelId}/messages: history (GET, newest first) and sending (POST).
// Served by the custom server itself (server/http/hot-routes.ts): it carries most REST traffic.
import { listMessages } from "../../use-cases/list-messages";
import { sendMessage } from "../../use-cases/send-message";
import { Reply, type ApiRoute } from "../api-call";

export const listChannelMessages: ApiRoute = {
  options: {},
  handler: ({ deps, actor, params, query }) => listMessages(deps, { actor, input: { ...query, ...params } }),
};

export const sendChannelMessage: ApiRoute = {
  options: { body: true },
  handler: async ({ deps, actor, params, body }) => {
    const { message, created } = await sendMessage(deps, { actor, input: { ...body, channelId: params.channelId } });
    return new Reply(created ? 201 : 200, message);
  },
};
