"use client";
// One message row. Content is rendered as React text, never as HTML, so markup people type
// is shown literally. Consecutive messages by one author collapse under one header.
import { memo } from "react";
import type { User } from "../../lib/domain/types";
import { formatFullTime, formatMessageTime } from "../lib/format-time";
import { Avatar } from "../ui/avatar";
import styles from "./message-item.module.css";

const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

export interface MessageItemProps {
  id?: string;
  nonce?: string;
  author: User;
  content: string;
  createdAt: string;
  state: "sent" | "sending" | "failed";
  error?: string;
  /** Same author as the previous row, shortly after: no avatar or header. */
  grouped: boolean;
  onRetry?: (nonce: string) => void;
}

export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  const { id, nonce, author, content, createdAt, state, error, grouped, onRetry } = props;
  return (
    <li
      className={`${styles.message} ${grouped ? "" : styles.first} ${state === "sent" ? "" : styles[state]}`}
      data-testid="message"
      data-message-id={id}
      data-state={state}
      aria-busy={state === "sending" || undefined}
    >
      <div className={styles.gutter}>
        {grouped ? (
          <time className={styles.gutterTime} dateTime={createdAt} title={formatFullTime(createdAt)}>
            {clock.format(new Date(createdAt))}
          </time>
        ) : (
          <Avatar id={author.id} name={author.displayName} size={40} />
        )}
      </div>
      <div className={styles.body}>
        {!grouped && (
          <h3 className={styles.meta}>
            <span className={styles.author} data-testid="message-author">{author.displayName}</span>
            <time className={styles.time} dateTime={createdAt} title={formatFullTime(createdAt)}>
              {formatMessageTime(createdAt)}
            </time>
          </h3>
        )}
        <div className={styles.content} data-testid="message-content">{content}</div>
        {state === "failed" && (
          <div className={styles.failure} role="alert">
            <span>{error ?? "This message could not be delivered."}</span>
            {nonce && onRetry && (
              <button type="button" className={styles.retry} onClick={() => onRetry(nonce)} data-testid="retry-send">
                Retry
              </button>
            )}
          </div>
        )}
      </div>
    </li>
  );
});
