"use client";
// /channels/{serverId} opens the server's first channel.
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { selectServer, useServersStore } from "../state/servers-store";
import { EmptyState } from "../ui/empty-state";

export function ServerIndexRedirect({ serverId }: { serverId: Snowflake }) {
  const router = useRouter();
  const firstChannelId = useServersStore(selectServer(serverId))?.channels[0]?.id;

  useEffect(() => {
    if (firstChannelId) router.replace(`/channels/${serverId}/${firstChannelId}`);
  }, [router, serverId, firstChannelId]);

  return firstChannelId ? null : <EmptyState title="No channels yet" />;
}
