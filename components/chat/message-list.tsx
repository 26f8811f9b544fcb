"use client";
// The scrolling message log, virtualized: only the rows near the viewport are in the DOM, so
// 10,000 loaded messages scroll as smoothly as 50. Rows are measured as they render. The view
// stays pinned to the bottom while you are there; otherwise it holds the row you were looking
// at in place (through older pages arriving above and rows being measured), and a bar offers
// the way back to the present when new messages arrive below.
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState, type RefObject } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { compareIds } from "../lib/snowflake-order";
import type { ChannelMessages } from "../state/messages-store";
import { useServersStore } from "../state/servers-store";
import { MessageItem } from "./message-item";
import styles from "./message-list.module.css";
import { buildMessageRows, estimateRowHeight } from "./message-rows";
import { MessageListHeader } from "./message-list-header";
import { buildOffsets, rowAt, visibleRange } from "./virtual-window";
import { useRelayoutOnResize } from "../hooks/use-relayout-on-resize";

const OVERSCAN_PX = 900;
const PIN_THRESHOLD_PX = 48;
const LOAD_OLDER_THRESHOLD_PX = 1_500;

interface MessageListProps {
  channelName: string;
  state: ChannelMessages;
  unreadAfterId?: Snowflake | null;
  loadOlder: () => void;
  onRetry: (nonce: string) => void;
  onDelete: (nonce: string) => void;
  onReload: () => void;
  /** Told whenever the view reaches or leaves the newest message (for marking read). */
  onAtBottomChange?: (atBottom: boolean) => void;
  /** Lets the composer bring the view back to the present (Escape, sending). */
  jumpRef?: RefObject<(() => void) | null>;
}

export function MessageList(props: MessageListProps) {
  const { channelName, state, unreadAfterId, loadOlder, onRetry, onDelete, onReload, onAtBottomChange, jumpRef } = props;
  const scrollerRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const heights = useRef(new Map<string, number>());
  const [layoutVersion, relayout] = useReducer((n: number) => n + 1, 0);
  const [view, setView] = useState({ top: 0, height: 0, width: 0 });
  const listTop = useRef(0);
  const pinned = useRef(true);
  const anchor = useRef<{ key: string; delta: number } | null>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(0);
  // The log itself is not a live region (rows come and go as you scroll): new messages from
  // others are announced here instead.
  const [announcement, setAnnouncement] = useState("");
  const myId = useServersStore((s) => s.me?.id);

  const rows = useMemo(() => buildMessageRows(state.messages, state.pending, unreadAfterId), [state.messages, state.pending, unreadAfterId]);
  const indexByKey = useMemo(() => new Map(rows.map((row, i) => [row.key, i])), [rows]);
  const offsets = useMemo(
    () => buildOffsets(rows.length, (i) => heights.current.get(rows[i]!.key) ?? estimateRowHeight(rows[i]!, view.width || 800)),
    // layoutVersion: heights (a ref) changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, layoutVersion, view.width],
  );
  const total = offsets[rows.length] ?? 0;
  const [start, end] = visibleRange(offsets, view.top - listTop.current, view.height || 1_000, OVERSCAN_PX);

  const updateBottom = useCallback(
    (value: boolean) => {
      pinned.current = value;
      setAtBottom(value);
      if (value) setUnseen(0);
    },
    [],
  );

  /** Remembers the first row in view and its distance from the top, to hold it in place. */
  const captureAnchor = useCallback(() => {
    const el = scrollerRef.current;
    if (!el || rows.length === 0) return;
    const index = rowAt(offsets, el.scrollTop - listTop.current);
    const row = rows[index];
    if (row) anchor.current = { key: row.key, delta: listTop.current + offsets[index]! - el.scrollTop };
  }, [rows, offsets]);

  useLayoutEffect(() => {
    const el = scrollerRef.current;
    const list = listRef.current;
    if (!el || !list) return;
    // 1. Measure the rows on screen; if any height changed, lay out again before painting.
    let changed = false;
    for (const child of Array.from(list.children) as HTMLElement[]) {
      const key = child.dataset.key;
      if (!key) continue;
      const height = child.getBoundingClientRect().height;
      if (Math.abs((heights.current.get(key) ?? -1) - height) > 0.5) {
        heights.current.set(key, height);
        changed = true;
      }
    }
    listTop.current = list.offsetTop;
    if (changed) return relayout();
    // 2. Position: at the bottom when pinned, else the anchored row where it was.
    if (pinned.current) {
      const bottom = el.scrollHeight - el.clientHeight;
      if (Math.abs(el.scrollTop - bottom) > 1) el.scrollTop = bottom;
    } else if (anchor.current) {
      const index = indexByKey.get(anchor.current.key);
      if (index !== undefined) {
        const desired = listTop.current + offsets[index]! - anchor.current.delta;
        if (Math.abs(el.scrollTop - desired) > 1) el.scrollTop = desired;
      }
    }
    captureAnchor();
    // 3. Render the rows for where the view really is now.
    if (el.scrollTop !== view.top || el.clientHeight !== view.height || el.clientWidth !== view.width) {
      setView({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
    }
    if (el.scrollTop < LOAD_OLDER_THRESHOLD_PX && state.hasOlder && !state.loadingOlder) loadOlder();
  });

  useRelayoutOnResize(scrollerRef, listRef, heights, relayout);

  // Messages from others arriving below: counted while I read older ones, and announced to
  // screen readers. My own send brings the view back to the bottom.
  const lastSeen = useRef({ lastId: state.messages[state.messages.length - 1]?.id, pending: state.pending.length });
  useEffect(() => {
    const previous = lastSeen.current;
    const lastId = state.messages[state.messages.length - 1]?.id;
    if (state.pending.length > previous.pending) updateBottom(true);
    else if (lastId !== previous.lastId && previous.lastId) {
      let fresh = 0;
      let newest: (typeof state.messages)[number] | undefined;
      for (let i = state.messages.length - 1; i >= 0; i--) {
        const m = state.messages[i]!;
        if (compareIds(m.id, previous.lastId) <= 0) break;
        if (m.author.id === myId) continue;
        fresh++;
        newest ??= m;
      }
      if (fresh && !pinned.current) setUnseen((n) => n + fresh);
      if (newest) setAnnouncement(`${newest.author.displayName}: ${newest.content.slice(0, 300)}`);
    }
    lastSeen.current = { lastId, pending: state.pending.length };
  }, [state.messages, state.pending.length, myId, updateBottom]);

  useEffect(() => onAtBottomChange?.(atBottom), [atBottom, onAtBottomChange]);

  function onScroll() {
    const el = scrollerRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < PIN_THRESHOLD_PX;
    if (bottom !== pinned.current) updateBottom(bottom);
    captureAnchor();
    setView({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
  }

  const jumpToPresent = useCallback(() => {
    const el = scrollerRef.current;
    if (!el) return;
    updateBottom(true);
    el.scrollTop = el.scrollHeight;
  }, [updateBottom]);
  useEffect(() => {
    if (jumpRef) jumpRef.current = jumpToPresent;
  }, [jumpRef, jumpToPresent]);

  const farFromPresent = !atBottom && total - (view.top - listTop.current) - view.height > view.height * 2;

  return (
    <div className={styles.wrapper}>
      <div className="visually-hidden" aria-live="polite" data-testid="message-announcer">{announcement}</div>
      <div ref={scrollerRef} className={styles.scroller} onScroll={onScroll} role="log" aria-live="off" tabIndex={0}
        aria-label={`Messages in #${channelName}`} data-testid="message-list"
        data-message-count={state.messages.length} data-rendered-from={start} data-at-bottom={atBottom}>
        <div className={styles.fill}>
          <MessageListHeader channelName={channelName} state={state} onReload={onReload} />
          <ol ref={listRef} className={styles.items} style={{ paddingTop: offsets[start] ?? 0, paddingBottom: total - (offsets[end] ?? total) }}>
            {rows.slice(start, end).map((row, i) => {
              const { key, dayDivider, unreadDivider, ...item } = row;
              return (
                <li key={key} data-key={key} className={styles.row} aria-posinset={start + i + 1} aria-setsize={rows.length}>
                  {dayDivider && <div className={styles.divider} role="separator" aria-label={dayDivider}><span>{dayDivider}</span></div>}
                  {unreadDivider && (
                    <div className={styles.newDivider} role="separator" aria-label="New messages" data-testid="new-divider"><span>New</span></div>
                  )}
                  <MessageItem {...item} onRetry={onRetry} onDelete={onDelete} />
                </li>
              );
            })}
          </ol>
        </div>
      </div>
      {(unseen > 0 || farFromPresent) && (
        <button type="button" className={styles.jump} onClick={jumpToPresent} data-testid="jump-to-present">
          <span>{unseen > 0 ? `${unseen} new message${unseen === 1 ? "" : "s"}` : "You're viewing older messages"}</span>
          <span className={styles.jumpAction}>Jump to present ↓</span>
        </button>
      )}
    </div>
  );
}
