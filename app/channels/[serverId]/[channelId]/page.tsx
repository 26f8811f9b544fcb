// /channels/{serverId}/{channelId}: the chat screen for one channel.
import { ChannelView } from "../../../../components/chat/channel-view";

export default async function ChannelPage({ params }: { params: Promise<{ serverId: string; channelId: string }> }) {
  const { serverId, channelId } = await params;
  return <ChannelView serverId={serverId} channelId={channelId} />;
}
