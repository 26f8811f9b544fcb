// The REST calls the web client makes, typed with the contract's own objects.
import type { Channel, InvitePreview, Message, Server, User } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import type { ChannelReadState } from "../../lib/use-cases/list-read-states";
import { apiRequest } from "./api-client";

const id = encodeURIComponent;

export const parleyApi = {
  register: (input: { username: string; password: string; displayName?: string }) =>
    apiRequest<{ user: User; token: string }>("/auth/register", { method: "POST", body: input }),

  createServer: (name: string) => apiRequest<Server>("/servers", { method: "POST", body: { name } }),

  createChannel: (serverId: Snowflake, name: string) =>
    apiRequest<Channel>(`/servers/${id(serverId)}/channels`, { method: "POST", body: { name } }),

  createInvite: (serverId: Snowflake) =>
    apiRequest<{ code: string; serverId: Snowflake }>(`/servers/${id(serverId)}/invites`, { method: "POST" }),

  previewInvite: (code: string) => apiRequest<InvitePreview>(`/invites/${id(code)}`),

  acceptInvite: (code: string) => apiRequest<Server>(`/invites/${id(code)}`, { method: "POST" }),

  /** Newest first, as the contract returns it. */
  listMessages: (channelId: Snowflake, cursor: { before?: Snowflake; after?: Snowflake }, limit: number) => {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor.before) query.set("before", cursor.before);
    if (cursor.after) query.set("after", cursor.after);
    return apiRequest<Message[]>(`/channels/${id(channelId)}/messages?${query}`);
  },

  listReadStates: () => apiRequest<ChannelReadState[]>("/users/@me/read-states"),

  markRead: (channelId: Snowflake, lastReadId: Snowflake) =>
    apiRequest<{ channelId: Snowflake; lastReadId: Snowflake }>(`/channels/${id(channelId)}/read-state`, { method: "PUT", body: { lastReadId } }),
};
