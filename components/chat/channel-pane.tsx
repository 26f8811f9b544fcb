"use client";
// The open channel: header (with the drawer buttons a phone needs), message log, composer and
// typing line. It also decides where the "new" divider goes and when the channel counts as read,
// and declares the channel on screen, so the connection focuses it.
import { useCallback, useRef, useState } from "react";
import type { Channel } from "../../lib/domain/types";
import { useChannelHistory } from "../hooks/use-channel-history";
import { useMarkRead } from "../hooks/use-mark-read";
import { useOnScreen } from "../hooks/use-on-screen";
import { useSendMessage } from "../hooks/use-send-message";
import { useUnreadDivider } from "../hooks/use-unread-divider";
import { ChannelHeader } from "./channel-header";
import styles from "./channel-view.module.css";
import { Composer } from "./composer";
import { MessageList } from "./message-list";
import { TypingIndicator } from "./typing-indicator";

export function ChannelPane({ channel }: { channel: Channel }) {
  useOnScreen(channel.id);
  const { channel: state, loadOlder, reload } = useChannelHistory(channel.id);
  const { retry, remove } = useSendMessage(channel.id);
  const unreadAfterId = useUnreadDivider(channel.id, state.status === "ready");
  const [atBottom, setAtBottom] = useState(true);
  const onAtBottomChange = useCallback((value: boolean) => setAtBottom(value), []);
  const jumpRef = useRef<(() => void) | null>(null);
  useMarkRead(channel.id, { enabled: unreadAfterId !== undefined && atBottom });

  return (
    <section className={styles.pane} aria-labelledby={`channel-title-${channel.id}`}>
      <ChannelHeader channel={channel} />
      <MessageList channelName={channel.name} state={state} unreadAfterId={unreadAfterId} loadOlder={loadOlder}
        onRetry={retry} onDelete={remove} onReload={reload} onAtBottomChange={onAtBottomChange} jumpRef={jumpRef} />
      <Composer channel={channel} onJumpToPresent={() => jumpRef.current?.()} />
      <TypingIndicator serverId={channel.serverId} channelId={channel.id} />
    </section>
  );
}
