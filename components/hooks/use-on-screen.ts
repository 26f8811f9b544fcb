"use client";
// Declares a channel on screen while the calling view is mounted, so the connection focuses it.
import { useEffect } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { useOnScreenStore } from "../state/on-screen-store";

export function useOnScreen(channelId: Snowflake): void {
  useEffect(() => {
    const { show, hide } = useOnScreenStore.getState();
    show(channelId);
    return () => hide(channelId);
  }, [channelId]);
}
