// Turning stored messages into the contract's message objects.
import type { Deps } from "../deps";
import type { Message, User } from "../domain/types";
import type { StoredMessage } from "../ports/message-store";

const unknownAuthor = (id: string): User => ({ id, username: "deleted-user", displayName: "Deleted user" });

export function toMessage(stored: StoredMessage, author: User): Message {
  const { authorId: _authorId, ...rest } = stored;
  return { ...rest, author };
}

export async function hydrateMessages(deps: Deps, stored: StoredMessage[]): Promise<Message[]> {
  const authors = await deps.metadata.getUsers(stored.map((m) => m.authorId));
  return stored.map((m) => toMessage(m, authors.get(m.authorId) ?? unknownAuthor(m.authorId)));
}
