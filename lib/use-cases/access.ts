// Membership checks shared by the use cases: 404 for what does not exist, then 403.
import type { Deps } from "../deps";
import type { Channel, Server } from "../domain/types";
import { errors } from "../errors";
import type { Snowflake } from "../ids/snowflake";

export async function requireMember(deps: Deps, serverId: Snowflake, userId: Snowflake): Promise<Server> {
  const server = await deps.metadata.getServer(serverId);
  if (!server) throw errors.notFound("Server");
  if (!(await deps.metadata.isMember(serverId, userId))) throw errors.forbidden("You are not a member of this server.");
  return server;
}

/**
 * The same answers as `requireMember` for a caller who only needs the server's id: a member is
 * let through on the membership alone (cached where this process is the only writer), and only a
 * non-member costs the server's lookup that tells 404 from 403.
 */
export async function requireMembership(deps: Deps, serverId: Snowflake, userId: Snowflake): Promise<Snowflake> {
  const id = BigInt(serverId).toString(); // "07" names server 7
  if (await deps.metadata.isMember(id, userId)) return id;
  return (await requireMember(deps, id, userId)).id;
}

export async function requireChannelMember(deps: Deps, channelId: Snowflake, userId: Snowflake): Promise<Channel> {
  const channel = await deps.metadata.getChannel(channelId);
  if (!channel) throw errors.notFound("Channel");
  if (!(await deps.metadata.isMember(channel.serverId, userId))) throw errors.forbidden("You are not a member of this server.");
  return channel;
}
