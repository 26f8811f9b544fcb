// /channels/{serverId}: forwards to the server's first channel.
import { ServerIndexRedirect } from "../../../components/chat/server-index-redirect";

export default async function ServerIndexPage({ params }: { params: Promise<{ serverId: string }> }) {
  const { serverId } = await params;
  return <ServerIndexRedirect serverId={serverId} />;
}
