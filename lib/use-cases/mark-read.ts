import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import { errors } from "../errors";
import { idSchema, parseInput } from "../domain/validation";
import type { ReadState } from "../ports/read-state-store";
import { requireChannelMember } from "./access";

const schema = z.object({ channelId: idSchema, lastReadId: idSchema });

/**
 * Marks a channel read up to an existing message of that channel. The marker never moves
 * backwards: an older id is accepted and answered with the marker as it stands. A real move
 * is announced to the reader's own connections, so their other tabs and devices follow.
 */
export async function markRead(deps: Deps, { actor, input }: UseCaseContext): Promise<ReadState> {
  const { channelId, lastReadId } = parseInput(schema, input);
  // The channel's 404 before the 403, as the contract orders them; the message is looked up only
  // for a member, so an outsider cannot tell which message ids exist.
  const channel = await requireChannelMember(deps, channelId, actor.userId);
  const message = await deps.messages.get(channel.id, lastReadId);
  if (!message) throw errors.notFound("Message");

  // The ids as stored, not as sent: "0123" names channel 123, and the answer, the marker and
  // the event a client keys its state by must say 123 (the fuzz tier found "0123" echoed).
  const result = await deps.readStates.markRead(actor.userId, channel.id, message.id);
  const readState = { channelId: channel.id, lastReadId: result.lastReadId };
  if (result.advanced) await deps.events.publish({ type: "read-state.updated", userId: actor.userId, readState });
  return readState;
}
