// Loads channel history into the messages store: the newest page on first view, older pages
// on demand, and the gap from the newest message known without a gap up to now (after a
// reconnect, and whenever a channel becomes focused). One request per channel at a time,
// whichever component or event asked.
import type { Snowflake } from "../../lib/ids/snowflake";
import { useMessagesStore } from "../state/messages-store";
import { errorMessage } from "./api-client";
import { parleyApi } from "./parley-api";

export const PAGE_SIZE = 50;
/** Older pages are bigger: someone scrolling back wants a lot, and fewer requests is smoother. */
export const OLDER_PAGE_SIZE = 100;
const GAP_PAGE_SIZE = 100;
const MAX_GAP_PAGES = 20;

const inFlight = new Map<Snowflake, Promise<void>>();

/** Runs `work` unless a request for the channel is already running (then does nothing). */
function once(channelId: Snowflake, work: () => Promise<void>): Promise<void> {
  if (inFlight.has(channelId)) return Promise.resolve();
  const running = work().finally(() => inFlight.delete(channelId));
  inFlight.set(channelId, running);
  return running;
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
 * Fetches everything newer than the newest message we hold without a gap before it: for a
 * stale channel that is where the gap starts (messages heard live since may sit beyond it),
 * else the newest message. `after` pages come back newest first: keep asking from the newest
 * until a short page. Merging is by id, so overlap with live events is harmless. A gap too
 * large to fill becomes a fresh start from the newest page.
 */
export function fillGap(channelId: Snowflake): Promise<void> {
  return once(channelId, async () => {
    const store = useMessagesStore.getState();
    const channel = store.channels[channelId];
    const known = channel?.messages ?? [];
    let after = (channel?.stale ? channel.gapAfter : undefined) ?? known[known.length - 1]?.id ?? "0";
    try {
      for (let i = 0; i < MAX_GAP_PAGES; i++) {
        const page = await parleyApi.listMessages(channelId, { after }, GAP_PAGE_SIZE);
        const complete = page.length < GAP_PAGE_SIZE;
        store.applyGap(channelId, page, complete);
        if (complete) return;
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

/**
 * The connection now focuses the channel, so from here on its messages arrive live: fetch
 * what came before that, once a request that was already running (maybe started before the
 * focus held) has ended. A channel not loaded yet needs nothing: its first load comes later.
 */
export async function refreshFocused(channelId: Snowflake): Promise<void> {
  await inFlight.get(channelId)?.catch(() => {});
  if (useMessagesStore.getState().channels[channelId]?.status === "ready") await fillGap(channelId);
}
