import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import type { Message } from "../domain/types";
import { contentSchema, idSchema, nonceSchema, parseInput } from "../domain/validation";
import { errors } from "../errors";
import { createdAtOf } from "../ids/snowflake";
import { storedUnder, type StoredMessage } from "../ports/message-store";
import { requireChannelMember } from "./access";
import { toMessage } from "./messages";

const schema = z.object({ channelId: idSchema, content: contentSchema, nonce: nonceSchema.optional() });

export interface SendResult {
  message: Message;
  /** False when a repeated nonce returned the original message. */
  created: boolean;
}

/**
 * Stores a message and announces it. With a nonce the send is idempotent: the store keeps one
 * message per nonce (see MessageStore), so a retry gets the original back and nothing new is
 * stored or announced. The caller is answered only after the store has the message durably.
 */
export async function sendMessage(deps: Deps, { actor, input }: UseCaseContext): Promise<SendResult> {
  const { channelId, content, nonce } = parseInput(schema, input);
  // The channel's own id from here on: "0123" and "123" name one channel, one set of rooms, one nonce scope.
  const channel = await requireChannelMember(deps, channelId, actor.userId);

  const budget = `messages:${actor.userId}`;
  const decision = await deps.messageRateLimiter.consume(budget);
  if (!decision.allowed) {
    // A retry of a send that was stored gets its message back, even over the limit.
    const earlier = nonce === undefined ? null : await deps.messages.findByNonce(channel.id, actor.userId, nonce);
    if (earlier) return { message: toMessage(earlier, actor.user), created: false };
    throw errors.budgetSpent(decision.retryAfterMs, "You are sending messages too fast.");
  }

  const id = deps.ids.next();
  const fresh: StoredMessage = {
    id,
    channelId: channel.id,
    serverId: channel.serverId,
    authorId: actor.userId,
    content,
    ...(nonce !== undefined ? { nonce } : {}),
    createdAt: createdAtOf(id),
  };
  const result = await deps.messages.insert(fresh);
  // Not inserted under an id of its own: a retry, answered with the original and costing no budget.
  // (Under its own fresh id it was this very call's write, e.g. a batch retried after it had
  // committed: announced like any new message.)
  if (!result.inserted && result.id !== id) {
    await deps.messageRateLimiter.refund(budget);
    const original = await deps.messages.get(channel.id, result.id);
    if (!original) throw errors.notFound("Message");
    return { message: toMessage(original, actor.user), created: false };
  }
  const message = toMessage(storedUnder(fresh, result.id), actor.user);
  await deps.events.publish({ type: "message.created", message });
  return { message, created: true };
}
