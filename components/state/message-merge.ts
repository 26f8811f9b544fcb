// Pure helpers for the per-channel message list, kept sorted oldest -> newest by id.
import type { Message } from "../../lib/domain/types";
import { compareIds } from "../lib/snowflake-order";

/**
 * Merges `incoming` into the sorted `existing` list: one entry per id, sorted by id.
 * Returns `existing` itself when nothing new arrived, so subscribers do not re-render.
 */
export function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return existing;
  const known = new Set(existing.map((m) => m.id));
  const fresh = incoming.filter((m) => !known.has(m.id));
  if (fresh.length === 0) return existing;
  const uniqueFresh = [...new Map(fresh.map((m) => [m.id, m])).values()].sort((a, b) => compareIds(a.id, b.id));
  const last = existing[existing.length - 1];
  const oldestFresh = uniqueFresh[0];
  // The common cases, a live message newer than everything shown or a page of older history:
  // append or prepend without sorting the whole list again.
  if (!last || !oldestFresh || compareIds(oldestFresh.id, last.id) > 0) return [...existing, ...uniqueFresh];
  const first = existing[0];
  const newestFresh = uniqueFresh[uniqueFresh.length - 1];
  if (first && newestFresh && compareIds(newestFresh.id, first.id) < 0) return [...uniqueFresh, ...existing];
  return [...existing, ...uniqueFresh].sort((a, b) => compareIds(a.id, b.id));
}
