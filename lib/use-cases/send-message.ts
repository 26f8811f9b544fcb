import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import type { Message } from "../domain/types";
import { contentSchema, idSchema, nonceSchema, parseInput } from "../domain/validation";
import { errors } from "../errors";
import { timestampOf } from "../ids/snowflake";
import type { StoredMessage } from "../ports/message-store";
import { requireChannelMember } from "./access";
import { toMessage } from "./messages";

const schema = z.object({ channelId: idSchema, content: contentSchema, nonce: nonceSchema.optional() });

export interface SendResult {
  message: Message;
  /** False when a repeated nonce returned the original message. */
  created: boolean;
}

/**
 * Stores a message and announces it. With a nonce the send is idempotent: a retry gets the
 * original back, and a retry after a failed write reuses the same id, so no second row can
 * appear. The caller is answered only after the store has the message durably.
 */
export async function sendMessage(deps: Deps, { actor, input }: UseCaseContext): Promise<SendResult> {
  const { channelId, content, nonce } = parseInput(schema, input);
  const channel = await requireChannelMember(deps, channelId, actor.userId);
  const nonceKey = nonce === undefined ? undefined : `nonce:${actor.userId}:${channelId}:${nonce}`;

  if (nonceKey) {
    const earlier = await findSent(deps, channelId, await deps.idempotency.get(nonceKey));
    if (earlier) return { message: toMessage(earlier, actor.user), created: false };
  }

  const decision = await deps.messageRateLimiter.consume(`messages:${actor.userId}`);
  if (!decision.allowed) throw errors.rateLimited(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));

  const freshId = deps.ids.next();
  const id = nonceKey ? await deps.idempotency.claim(nonceKey, freshId) : freshId;
  const stored: StoredMessage = {
    id,
    channelId,
    serverId: channel.serverId,
    authorId: actor.userId,
    content,
    ...(nonce !== undefined ? { nonce } : {}),
    createdAt: new Date(timestampOf(id)).toISOString(),
  };
  const { inserted } = await deps.messages.insert(stored);
  if (!inserted) {
    const original = (await findSent(deps, channelId, id)) ?? stored;
    return { message: toMessage(original, actor.user), created: false };
  }
  const message = toMessage(stored, actor.user);
  await deps.events.publish({ type: "message.created", message });
  return { message, created: true };
}

async function findSent(deps: Deps, channelId: string, id: string | null) {
  return id === null ? null : deps.messages.get(channelId, id);
}
