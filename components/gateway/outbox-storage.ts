// My undelivered messages, kept in this browser so that closing or reloading the tab while
// offline loses nothing: they are restored and sent (same nonce) on the next visit. Each tab
// writes its own key, so two tabs never overwrite each other's messages; a starting tab takes
// over every key of the same user (sending one twice is harmless: the nonce makes it once).
import type { Snowflake } from "../../lib/ids/snowflake";
import type { PendingMessage } from "../state/messages-store";

const prefix = (userId: Snowflake) => `parley.outbox.v1.${userId}.`;
const tabId = Math.random().toString(36).slice(2, 10);

function isPending(p: unknown): p is PendingMessage {
  const m = p as PendingMessage;
  return !!m && typeof m.nonce === "string" && typeof m.channelId === "string" && typeof m.content === "string" && typeof m.createdAt === "string" && !!m.author;
}

/** Every saved message of this user, from any tab, oldest first; the keys are cleared. */
export function takeSavedPending(userId: Snowflake): PendingMessage[] {
  const found = new Map<string, PendingMessage>();
  try {
    const keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)).filter((k): k is string => !!k?.startsWith(prefix(userId)));
    for (const key of keys) {
      try {
        const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? "[]");
        if (Array.isArray(parsed)) for (const p of parsed.filter(isPending)) found.set(p.nonce, p);
      } catch {
        // A damaged entry: nothing to restore from it.
      }
      if (!key.endsWith(`.${tabId}`)) localStorage.removeItem(key);
    }
  } catch {
    return [];
  }
  return [...found.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function savePending(userId: Snowflake, pending: PendingMessage[]): void {
  try {
    if (pending.length === 0) localStorage.removeItem(prefix(userId) + tabId);
    else localStorage.setItem(prefix(userId) + tabId, JSON.stringify(pending));
  } catch {
    // Storage full or disabled: the outbox still works for this page's lifetime.
  }
}
