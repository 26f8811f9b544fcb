import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import { errors } from "../errors";
import { idSchema, parseInput } from "../domain/validation";
import type { ReadState } from "../ports/read-state-store";

const schema = z.object({ channelId: idSchema, lastReadId: idSchema });

/**
 * Marks a channel read up to an existing message of that channel. The marker never moves
 * backwards: an older id is accepted and answered with the marker as it stands. A real move
 * is announced to the reader's own connections, so their other tabs and devices follow.
 */
export async function markRead(deps: Deps, { actor, input }: UseCaseContext): Promise<ReadState> {
  const { channelId, lastReadId } = parseInput(schema, input);
  // 404s before 403, as the contract orders them.
  const channel = await deps.metadata.getChannel(channelId);
  if (!channel) throw errors.notFound("Channel");
  if (!(await deps.messages.get(channelId, lastReadId))) throw errors.notFound("Message");
  if (!(await deps.metadata.isMember(channel.serverId, actor.userId))) throw errors.forbidden("You are not a member of this server.");

  const result = await deps.readStates.markRead(actor.userId, channelId, lastReadId);
  const readState = { channelId, lastReadId: result.lastReadId };
  if (result.advanced) await deps.events.publish({ type: "read-state.updated", userId: actor.userId, readState });
  return readState;
}
