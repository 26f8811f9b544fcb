// Turning stored messages into the contract's message objects.
import type { Deps } from "../deps";
import type { Message, User } from "../domain/types";
import type { StoredMessage } from "../ports/message-store";

const unknownAuthor = (id: string): User => ({ id, username: "deleted-user", displayName: "Deleted user" });

/** Field by field rather than by rest-spread: this runs for every message of every history page. */
export function toMessage(stored: StoredMessage, author: User): Message {
  const message: Message = { id: stored.id, channelId: stored.channelId, serverId: stored.serverId, author, content: stored.content, createdAt: stored.createdAt };
  if (stored.nonce !== undefined) message.nonce = stored.nonce;
  return message;
}

export async function hydrateMessages(deps: Deps, stored: StoredMessage[]): Promise<Message[]> {
  // A page has far fewer authors than messages: look each one up once.
  const authors = await deps.metadata.getUsers([...new Set(stored.map((m) => m.authorId))]);
  return stored.map((m) => toMessage(m, authors.get(m.authorId) ?? unknownAuthor(m.authorId)));
}
