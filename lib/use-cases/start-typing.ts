import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import { idSchema, parseInput } from "../domain/validation";
import { requireChannelMember } from "./access";

const schema = z.object({ channelId: idSchema });

/**
 * Tells the channel's other members that the caller is typing: at most once per channel every
 * 3 s (a client repeats it while the person types; the extras are answered ok and dropped), and
 * never for an invisible user (typing would show them online).
 */
export async function startTyping(deps: Deps, { actor, input }: UseCaseContext): Promise<void> {
  const { channelId } = parseInput(schema, input);
  const channel = await requireChannelMember(deps, channelId, actor.userId);
  if ((await deps.presence.getChosenStatus(actor.userId)) === "invisible") return;
  if (!(await deps.typingRateLimiter.consume(`typing:${actor.userId}:${channel.id}`)).allowed) return;
  await deps.events.publish({ type: "typing.started", serverId: channel.serverId, channelId: channel.id, userId: actor.userId });
}
