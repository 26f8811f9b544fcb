// My undelivered messages, kept in this browser so that closing or reloading the tab while
// offline loses nothing: they are restored and sent (same nonce) on the next visit.
import type { Snowflake } from "../../lib/ids/snowflake";
import type { PendingMessage } from "../state/messages-store";

const key = (userId: Snowflake) => `parley.outbox.v1.${userId}`;

export function loadSavedPending(userId: Snowflake): PendingMessage[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (p): p is PendingMessage =>
        !!p && typeof p.nonce === "string" && typeof p.channelId === "string" && typeof p.content === "string" && typeof p.createdAt === "string" && !!p.author,
    );
  } catch {
    return [];
  }
}

export function savePending(userId: Snowflake, pending: PendingMessage[]): void {
  try {
    if (pending.length === 0) localStorage.removeItem(key(userId));
    else localStorage.setItem(key(userId), JSON.stringify(pending));
  } catch {
    // Storage full or disabled: the outbox still works for this page's lifetime.
  }
}
