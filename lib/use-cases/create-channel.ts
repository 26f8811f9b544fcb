import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import type { Channel } from "../domain/types";
import { channelNameSchema, idSchema, parseInput } from "../domain/validation";
import { errors } from "../errors";
import { requireMember } from "./access";
import { COUNT_LIMIT_RETRY_SECONDS } from "./shared/limits";

const schema = z.object({ serverId: idSchema, name: channelNameSchema });

/** Owner only; the channel goes after the server's last one and every member hears of it. */
export async function createChannel(deps: Deps, { actor, input }: UseCaseContext): Promise<Channel> {
  const { serverId, name } = parseInput(schema, input);
  const server = await requireMember(deps, serverId, actor.userId);
  if (server.ownerId !== actor.userId) throw errors.forbidden("Only the server owner can create channels.");
  if (server.channels.length >= deps.limits.channelsPerServer) {
    throw errors.rateLimited(COUNT_LIMIT_RETRY_SECONDS, `A server may have at most ${deps.limits.channelsPerServer} channels.`);
  }
  const channel = await deps.metadata.createChannel({ id: deps.ids.next(), serverId, name });
  await deps.events.publish({ type: "channel.created", channel });
  return channel;
}
