"use client";
// Marks the open channel read on the server once its newest message is on screen (the view is
// at the bottom and the tab is visible), so every device of mine clears its unread mark. Retried
// after a reconnect if the request failed.
import { useEffect, useState } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { parleyApi } from "../api/parley-api";
import { compareIds } from "../lib/snowflake-order";
import { useConnectionStore } from "../state/connection-store";
import { useMessagesStore } from "../state/messages-store";
import { useReadStateStore } from "../state/read-state-store";

const SETTLE_MS = 200;

function useDocumentVisible(): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    update();
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}

export function useMarkRead(channelId: Snowflake, { enabled }: { enabled: boolean }): void {
  const visible = useDocumentVisible();
  const connected = useConnectionStore((s) => s.status === "connected");
  const lastReadId = useReadStateStore((s) => s.byChannel[channelId]?.lastReadId ?? null);
  const newestId = useMessagesStore((s) => {
    const messages = s.channels[channelId]?.messages;
    return messages?.[messages.length - 1]?.id;
  });

  useEffect(() => {
    if (!enabled || !visible || !connected || !newestId) return;
    if (lastReadId && compareIds(newestId, lastReadId) <= 0) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      parleyApi
        .markRead(channelId, newestId)
        .then((state) => !cancelled && useReadStateStore.getState().markRead(state.channelId, state.lastReadId))
        .catch(() => {
          // Stays unread here; the effect runs again after a reconnect or the next message.
        });
    }, SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [channelId, enabled, visible, connected, newestId, lastReadId]);
}
