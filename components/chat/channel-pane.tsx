"use client";
// The open channel: header, message log, composer and typing line.
import type { Channel } from "../../lib/domain/types";
import { useChannelHistory } from "../hooks/use-channel-history";
import { useSendMessage } from "../hooks/use-send-message";
import styles from "./channel-view.module.css";
import { Composer } from "./composer";
import { MessageList } from "./message-list";
import { TypingIndicator } from "./typing-indicator";

export function ChannelPane({ channel }: { channel: Channel }) {
  const { channel: state, loadOlder, reload } = useChannelHistory(channel.id);
  const { retry } = useSendMessage(channel.id);

  return (
    <section className={styles.pane} aria-labelledby={`channel-title-${channel.id}`}>
      <header className={styles.header}>
        <span className={styles.hash} aria-hidden="true">#</span>
        <h1 id={`channel-title-${channel.id}`} className={styles.title} data-testid="channel-name">{channel.name}</h1>
      </header>
      <MessageList channelName={channel.name} state={state} loadOlder={loadOlder} onRetry={retry} onReload={reload} />
      <Composer channel={channel} />
      <TypingIndicator serverId={channel.serverId} channelId={channel.id} />
    </section>
  );
}
