"use client";
// "Ana is typing…" under the composer. The line keeps its height when empty so the
// message list does not jump every time someone starts or stops typing.
import type { Snowflake } from "../../lib/ids/snowflake";
import { describeTyping, useTypingNames } from "../hooks/use-typing-names";
import styles from "./channel-view.module.css";

export function TypingIndicator({ serverId, channelId }: { serverId: Snowflake; channelId: Snowflake }) {
  const text = describeTyping(useTypingNames(serverId, channelId));
  return (
    <div className={styles.typing} aria-live="polite" data-testid="typing-indicator">
      {text && (
        <>
          <span className={styles.typingDots} aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span>{text}</span>
        </>
      )}
    </div>
  );
}
