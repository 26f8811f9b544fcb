"use client";
// One message. Consecutive messages by one author collapse under one header; my own messages
// on their way show as pending ("queued" while offline), and a failed one offers Retry/Delete.
import { memo } from "react";
import type { User } from "../../lib/domain/types";
import { formatFullTime, formatMessageTime } from "../lib/format-time";
import { Avatar } from "../ui/avatar";
import { MessageContent } from "./message-content";
import styles from "./message-item.module.css";

const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

export interface MessageItemProps {
  id?: string;
  nonce?: string;
  author: User;
  content: string;
  createdAt: string;
  state: "sent" | "sending" | "queued" | "failed";
  error?: string;
  /** Same author as the previous row, shortly after: no avatar or header. */
  grouped: boolean;
  onRetry?: (nonce: string) => void;
  onDelete?: (nonce: string) => void;
}

export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  const { id, nonce, author, content, createdAt, state, error, grouped, onRetry, onDelete } = props;
  return (
    <div
      className={`${styles.message} ${grouped ? "" : styles.first} ${state === "sent" ? "" : styles[state]}`}
      data-testid="message"
      data-message-id={id}
      data-state={state}
      aria-busy={state === "sending" || state === "queued" || undefined}
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
        <div className={styles.content} data-testid="message-content"><MessageContent text={content} /></div>
        {state === "queued" && <div className={styles.note}>Waiting for the connection… it will be sent when you&apos;re back online.</div>}
        {state === "failed" && (
          <div className={styles.failure} role="alert">
            <span>{error ?? "This message could not be delivered."}</span>
            {nonce && onRetry && (
              <button type="button" className={styles.action} onClick={() => onRetry(nonce)} data-testid="retry-send">Retry</button>
            )}
            {nonce && onDelete && (
              <button type="button" className={styles.action} onClick={() => onDelete(nonce)} data-testid="delete-failed">Delete</button>
            )}
          </div>
        )}
      </div>
    </div>
  );
});
