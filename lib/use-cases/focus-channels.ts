import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import type { Channel } from "../domain/types";
import { idSchema, parseInput } from "../domain/validation";
import { errors } from "../errors";

/** The most channels one connection may focus at once (contract v2, "Focus"). */
export const MAX_FOCUSED_CHANNELS = 10;

export const focusSchema = z.object({
  channelIds: z.array(idSchema).max(MAX_FOCUSED_CHANNELS, `at most ${MAX_FOCUSED_CHANNELS} channels can be focused`),
});

/** The `channels:focus` payload, as a client sends it. */
export type FocusInput = z.input<typeof focusSchema>;

/**
 * The channels a connection wants in full: 0–10 ids, every one readable by the caller (it
 * exists and the caller is a member of its server). Duplicates collapse, also when they are
 * spelled differently ("07" and "7"): the answer lists each channel once, by its own id.
 *
 * A channel that does not exist is FORBIDDEN, not NOT_FOUND, as the contract words it ("a
 * channel the user cannot read"): one answer for "not yours" and "not there", so focusing
 * cannot be used to probe which ids exist. Nothing is announced; the transport applies it.
 */
export async function focusChannels(deps: Deps, { actor, input }: UseCaseContext): Promise<Channel[]> {
  const { channelIds } = parseInput(focusSchema, input);
  const channels = await Promise.all(
    [...new Set(channelIds)].map(async (id) => {
      const channel = await deps.metadata.getChannel(id);
      return channel && (await deps.metadata.isMember(channel.serverId, actor.userId)) ? channel : undefined;
    }),
  );
  if (channels.some((c) => c === undefined)) throw errors.forbidden("You cannot read one of these channels.");
  return [...new Map((channels as Channel[]).map((c) => [c.id, c])).values()];
}
