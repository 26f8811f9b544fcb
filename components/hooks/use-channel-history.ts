"use client";
// Loads a channel's history into the messages store: the latest page on first view, older
// pages on demand, and the gap after a reconnect (the store marks channels stale).
import { useCallback, useEffect } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { errorMessage } from "../api/api-client";
import { parleyApi } from "../api/parley-api";
import { useConnectionStore } from "../state/connection-store";
import { EMPTY_CHANNEL, useMessagesStore, type ChannelMessages } from "../state/messages-store";

export const PAGE_SIZE = 50;
const GAP_PAGE_SIZE = 100;
const MAX_GAP_PAGES = 20;

// One request per channel at a time, whichever component or effect asked.
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

function loadLatest(channelId: Snowflake) {
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

function fillGap(channelId: Snowflake) {
  return once(channelId, async () => {
    const store = useMessagesStore.getState();
    const known = store.channels[channelId]?.messages ?? [];
    let after = known[known.length - 1]?.id ?? "0";
    try {
      // `after` pages come back newest first; keep asking from the newest until a short page.
      for (let i = 0; i < MAX_GAP_PAGES; i++) {
        const page = await parleyApi.listMessages(channelId, { after }, GAP_PAGE_SIZE);
        store.applyGap(channelId, page);
        if (page.length < GAP_PAGE_SIZE) break;
        after = page[0]?.id ?? after;
      }
    } catch {
      // Leave it stale: the next reconnect or a reload tries again; live events still flow.
    }
  });
}

function loadOlder(channelId: Snowflake) {
  const channel = useMessagesStore.getState().channels[channelId];
  if (!channel || channel.status !== "ready" || !channel.hasOlder || channel.loadingOlder) return;
  const oldest = channel.messages[0]?.id;
  if (!oldest) return;
  return once(channelId, async () => {
    const store = useMessagesStore.getState();
    store.beginLoadOlder(channelId);
    try {
      store.applyOlder(channelId, await parleyApi.listMessages(channelId, { before: oldest }, PAGE_SIZE), PAGE_SIZE);
    } catch {
      store.loadOlderFailed(channelId);
    }
  });
}

export function useChannelHistory(channelId: Snowflake): {
  channel: ChannelMessages;
  loadOlder: () => void;
  reload: () => void;
} {
  const channel = useMessagesStore((s) => s.channels[channelId] ?? EMPTY_CHANNEL);
  const connected = useConnectionStore((s) => s.status === "connected");

  useEffect(() => {
    if (channel.status === "idle") void loadLatest(channelId);
  }, [channelId, channel.status]);

  useEffect(() => {
    if (channel.stale && connected) void fillGap(channelId);
  }, [channelId, channel.stale, connected]);

  return {
    channel,
    loadOlder: useCallback(() => void loadOlder(channelId), [channelId]),
    reload: useCallback(() => void loadLatest(channelId), [channelId]),
  };
}
