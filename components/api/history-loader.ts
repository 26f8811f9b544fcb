// Loads channel history into the messages store: the newest page on first view, older pages
// on demand, and after a reconnect the gap from the newest known message up to now. One
// request per channel at a time, whichever component or event asked.
import type { Snowflake } from "../../lib/ids/snowflake";
import { useMessagesStore } from "../state/messages-store";
import { errorMessage } from "./api-client";
import { parleyApi } from "./parley-api";

export const PAGE_SIZE = 50;
/** Older pages are bigger: someone scrolling back wants a lot, and fewer requests is smoother. */
export const OLDER_PAGE_SIZE = 100;
const GAP_PAGE_SIZE = 100;
const MAX_GAP_PAGES = 20;

const inFlight = new Set<Snowflake>();

async function once(channelId: Snowflake, work: () => Promise<void>): Promise<void> {
  if (inFlight.has(channelId)) return;
  inFlight.add(channelId);
  try {
    await work();
  } finally {
    inFlight.delete(channelId);
  }
}

export function loadLatest(channelId: Snowflake): Promise<void> {
  return once(channelId, async () => {
    const store = useMessagesStore.getState();
    store.beginLoad(channelId);
    try {
      store.applyLatest(channelId, await parleyApi.listMessages(channelId, {}, PAGE_SIZE), PAGE_SIZE);
    } catch (error) {
      store.loadFailed(channelId, errorMessage(error));
    }
  });
}

/**
 * Fetches everything newer than the newest message we hold (`after` pages come back newest
 * first: keep asking from the newest until a short page). Merging is by id, so overlap with
 * live events is harmless. A gap too large to fill becomes a fresh start from the newest page.
 */
export function fillGap(channelId: Snowflake): Promise<void> {
  return once(channelId, async () => {
    const store = useMessagesStore.getState();
    const known = store.channels[channelId]?.messages ?? [];
    let after = known[known.length - 1]?.id ?? "0";
    try {
      for (let i = 0; i < MAX_GAP_PAGES; i++) {
        const page = await parleyApi.listMessages(channelId, { after }, GAP_PAGE_SIZE);
        store.applyGap(channelId, page);
        if (page.length < GAP_PAGE_SIZE) return;
        after = page[0]?.id ?? after;
      }
      store.resetToLatest(channelId, await parleyApi.listMessages(channelId, {}, PAGE_SIZE), PAGE_SIZE);
    } catch {
      // Left stale: the next reconnect or view tries again; live events keep flowing meanwhile.
    }
  });
}

export function loadOlder(channelId: Snowflake): Promise<void> | undefined {
  const channel = useMessagesStore.getState().channels[channelId];
  if (!channel || channel.status !== "ready" || !channel.hasOlder || channel.loadingOlder) return;
  const oldest = channel.messages[0]?.id;
  if (!oldest) return;
  return once(channelId, async () => {
    const store = useMessagesStore.getState();
    store.beginLoadOlder(channelId);
    try {
      store.applyOlder(channelId, await parleyApi.listMessages(channelId, { before: oldest }, OLDER_PAGE_SIZE), OLDER_PAGE_SIZE);
    } catch {
      store.loadOlderFailed(channelId);
    }
  });
}

/** After a reconnect: fill every channel this tab has loaded, one after the other. */
export async function fillAllStaleGaps(): Promise<void> {
  const channels = useMessagesStore.getState().channels;
  for (const [channelId, channel] of Object.entries(channels)) {
    if (channel.stale) await fillGap(channelId);
  }
}
