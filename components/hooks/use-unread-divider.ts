"use client";
// Where the "new" divider goes: my read marker as it was when I opened the channel. Captured
// once (when both the history and the read state are known) and kept while the channel stays
// open, even though opening it moves the marker forward.
import { useEffect, useState } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { isUnread, useReadStateStore } from "../state/read-state-store";

/** undefined until known; null when there is nothing unread to mark. */
export function useUnreadDivider(channelId: Snowflake, historyReady: boolean): Snowflake | null | undefined {
  const entry = useReadStateStore((s) => s.byChannel[channelId]);
  const loaded = useReadStateStore((s) => s.loaded);
  const [after, setAfter] = useState<Snowflake | null | undefined>(undefined);
  useEffect(() => {
    if (after !== undefined || !historyReady || (!entry && !loaded)) return;
    setAfter(isUnread(entry) ? entry!.lastReadId : null);
  }, [after, historyReady, entry, loaded]);
  return after;
}
