// /channels/{serverId}/*: the server's channel sidebar and member list around the open channel.
import type { ReactNode } from "react";
import { ServerView } from "../../../components/chat/server-view";

export default async function ServerLayout({ children, params }: { children: ReactNode; params: Promise<{ serverId: string }> }) {
  const { serverId } = await params;
  return <ServerView serverId={serverId}>{children}</ServerView>;
}
