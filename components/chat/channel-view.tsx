"use client";
// Resolves /channels/{serverId}/{channelId} to a channel, or explains that it does not exist.
import Link from "next/link";
import type { Snowflake } from "../../lib/ids/snowflake";
import { selectServer, useServersStore } from "../state/servers-store";
import { EmptyState } from "../ui/empty-state";
import { ChannelPane } from "./channel-pane";

export function ChannelView({ serverId, channelId }: { serverId: Snowflake; channelId: Snowflake }) {
  const server = useServersStore(selectServer(serverId));
  const channel = server?.channels.find((c) => c.id === channelId);
  if (!server) return null; // the server layout explains what is wrong
  if (!channel) {
    return (
      <EmptyState title="Channel not found" testId="channel-not-found">
        <p>This channel does not exist in {server.name}.</p>
        {server.channels[0] && <Link href={`/channels/${server.id}/${server.channels[0].id}`}>Go to #{server.channels[0].name}</Link>}
      </EmptyState>
    );
  }
  // Keyed by channel: scroll position, draft and throttles start fresh in each channel.
  return <ChannelPane key={channel.id} channel={channel} />;
}
