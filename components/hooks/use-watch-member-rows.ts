"use client";
// Tells the gateway which rows of a server's member list are on screen (member-list-watch.ts
// subscribes to them): the 100-row block of the top row in view and the next one. The wanted
// ranges only change when the top row crosses into another block, not on every scroll event.
import { useEffect, useMemo } from "react";
import { MEMBER_LIST_BLOCK } from "../../lib/domain/member-list/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { rangesToWatch } from "../chat/member-list-window";
import { useMemberListStore } from "../state/member-list-store";

export function useWatchMemberRows(serverId: Snowflake, topRow: number): void {
  const block = Math.floor(Math.max(0, topRow) / MEMBER_LIST_BLOCK);
  const ranges = useMemo(() => rangesToWatch(block * MEMBER_LIST_BLOCK), [block]);

  useEffect(() => {
    useMemberListStore.getState().want(serverId, ranges);
  }, [serverId, ranges]);

  // Off screen (another server, the home page): the gateway stops watching this list.
  useEffect(() => () => useMemberListStore.getState().unwant(serverId), [serverId]);
}
