"use client";
// A channel's history for the message pane: loads the newest page on first view and refills
// the gap if the channel is stale when viewed (the gateway fills it again once the connection
// focuses it, which catches what arrived before the focus held: components/gateway/focus.ts).
import { useCallback, useEffect } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { fillGap, loadLatest, loadOlder } from "../api/history-loader";
import { useConnectionStore } from "../state/connection-store";
import { EMPTY_CHANNEL, useMessagesStore, type ChannelMessages } from "../state/messages-store";

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
