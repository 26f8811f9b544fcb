"use client";
// Fetches a server's member list once, then keeps it current from gateway events; refetches
// after a reconnect because joins, leaves and presence changes may have been missed.
import { useEffect } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { parleyApi } from "../api/parley-api";
import { useConnectionStore } from "../state/connection-store";
import { useMembersStore, type ServerMembers } from "../state/members-store";
import { useServersStore } from "../state/servers-store";

const inFlight = new Set<Snowflake>();

async function loadMembers(serverId: Snowflake): Promise<void> {
  if (inFlight.has(serverId)) return;
  inFlight.add(serverId);
  const store = useMembersStore.getState();
  store.beginLoad(serverId);
  try {
    const members = await parleyApi.listMembers(serverId);
    store.setMembers(serverId, members);
    // The snapshot may predate my own connection or show "invisible" as offline: I know better.
    const me = useServersStore.getState().me;
    if (me) store.setMyChosenStatus(me.id, useMembersStore.getState().myChosenStatus);
  } catch {
    store.loadFailed(serverId);
  } finally {
    inFlight.delete(serverId);
  }
}

export function useServerMembers(serverId: Snowflake): ServerMembers | undefined {
  const entry = useMembersStore((s) => s.byServer[serverId]);
  const connected = useConnectionStore((s) => s.status === "connected");

  useEffect(() => {
    if (!entry || (entry.stale && connected)) void loadMembers(serverId);
  }, [serverId, entry, connected]);

  return entry;
}
