import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import { idSchema, parseInput } from "../domain/validation";
import { requireChannelMember } from "./access";

const schema = z.object({ channelId: idSchema });

/** Tells the channel's other members that the caller is typing. */
export async function startTyping(deps: Deps, { actor, input }: UseCaseContext): Promise<void> {
  const { channelId } = parseInput(schema, input);
  const channel = await requireChannelMember(deps, channelId, actor.userId);
  await deps.events.publish({ type: "typing.started", serverId: channel.serverId, channelId, userId: actor.userId });
}
