import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import type { Message } from "../domain/types";
import { boundedInt, idSchema, parseInput } from "../domain/validation";
import { requireChannelMember } from "./access";
import { hydrateMessages } from "./messages";

const schema = z
  .object({
    channelId: idSchema,
    limit: boundedInt(1, 100, 50),
    before: idSchema.optional(),
    after: idSchema.optional(),
  })
  .refine((q) => q.before === undefined || q.after === undefined, "use either before or after, not both");

/** A page of history, newest first (see MessageStore for the meaning of before/after). */
export async function listMessages(deps: Deps, { actor, input }: UseCaseContext): Promise<Message[]> {
  const { channelId, limit, before, after } = parseInput(schema, input);
  await requireChannelMember(deps, channelId, actor.userId);
  const page = await deps.messages.list(channelId, { limit, before, after });
  return hydrateMessages(deps, page);
}
