"use client";
// The scrolling message log. It stays pinned to the bottom while you are there, keeps your
// place when older history is prepended above, and asks for older pages near the top.
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ChannelMessages } from "../state/messages-store";
import { compareIds } from "../lib/snowflake-order";
import { MessageItem } from "./message-item";
import styles from "./message-list.module.css";
import { buildMessageRows } from "./message-rows";

const PIN_THRESHOLD_PX = 80;
const LOAD_OLDER_THRESHOLD_PX = 400;

interface MessageListProps {
  channelName: string;
  state: ChannelMessages;
  loadOlder: () => void;
  onRetry: (nonce: string) => void;
  onReload: () => void;
}

export function MessageList({ channelName, state, loadOlder, onRetry, onReload }: MessageListProps) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const last = useRef({ firstId: undefined as string | undefined, scrollHeight: 0, scrollTop: 0, pendingCount: 0 });
  const [hasUnseen, setHasUnseen] = useState(false);
  const rows = useMemo(() => buildMessageRows(state.messages, state.pending), [state.messages, state.pending]);
  const firstId = state.messages[0]?.id;

  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const before = last.current;
    // My own new send always brings me back to the bottom.
    if (state.pending.length > before.pendingCount) pinned.current = true;
    const prepended = !!before.firstId && !!firstId && compareIds(firstId, before.firstId) < 0;
    if (pinned.current) {
      el.scrollTop = el.scrollHeight;
    } else if (prepended) {
      // Keep the message that was on screen exactly where it was.
      el.scrollTop = before.scrollTop + (el.scrollHeight - before.scrollHeight);
    } else if (el.scrollHeight !== before.scrollHeight) {
      setHasUnseen(true);
    }
    last.current = { firstId, scrollHeight: el.scrollHeight, scrollTop: el.scrollTop, pendingCount: state.pending.length };
    // A short first page cannot be scrolled, so no scroll event would ever ask for more.
    if (el.scrollHeight <= el.clientHeight + LOAD_OLDER_THRESHOLD_PX && state.hasOlder) loadOlder();
  }, [rows, firstId, state.pending.length, state.hasOlder, loadOlder]);

  // Stay at the bottom when the pane itself changes size (window resize, composer growing).
  useEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (pinned.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  function onScroll() {
    const el = scrollerRef.current;
    if (!el) return;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < PIN_THRESHOLD_PX;
    if (pinned.current) setHasUnseen(false);
    last.current.scrollTop = el.scrollTop;
    if (el.scrollTop < LOAD_OLDER_THRESHOLD_PX) loadOlder();
  }

  function jumpToPresent() {
    const el = scrollerRef.current;
    if (!el) return;
    pinned.current = true;
    el.scrollTop = el.scrollHeight;
    setHasUnseen(false);
  }

  return (
    <div className={styles.wrapper}>
      <div ref={scrollerRef} className={styles.scroller} onScroll={onScroll} role="log"
        aria-label={`Messages in #${channelName}`} data-testid="message-list">
        {state.hasOlder ? (
          <div className={styles.loadingOlder} aria-live="polite">{state.loadingOlder ? "Loading older messages…" : ""}</div>
        ) : state.status === "ready" ? (
          <div className={styles.channelStart} data-testid="channel-start">
            <div className={styles.startIcon} aria-hidden="true">#</div>
            <h2 className={styles.startTitle}>Welcome to #{channelName}!</h2>
            <p className={styles.startText}>This is the start of the #{channelName} channel.</p>
          </div>
        ) : null}
        {state.status === "loading" && rows.length === 0 && <p className={styles.status}>Loading messages…</p>}
        {state.status === "error" && (
          <p className={styles.status} role="alert">
            {state.error ?? "Could not load messages."}{" "}
            <button type="button" className="btn btn-secondary" onClick={onReload}>Try again</button>
          </p>
        )}
        <ol className={styles.items}>
          {rows.map(({ key, dayDivider, ...row }) => (
            <Fragment key={key}>
              {dayDivider && <li className={styles.divider} role="separator"><span>{dayDivider}</span></li>}
              <MessageItem {...row} onRetry={onRetry} />
            </Fragment>
          ))}
        </ol>
      </div>
      {hasUnseen && (
        <button type="button" className={styles.jump} onClick={jumpToPresent} data-testid="jump-to-present">
          New messages below — jump to present
        </button>
      )}
    </div>
  );
}
