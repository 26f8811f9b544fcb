"use client";
// The message box: Enter sends, Shift+Enter adds a line, Escape jumps back to the present; it
// grows with its content, keeps a draft per channel, and counts toward the 2000-character
// limit in code points, as the server counts. Sending works offline too: the outbox waits.
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import type { Channel } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { useMediaQuery } from "../hooks/use-media-query";
import { MAX_MESSAGE_LENGTH, useSendMessage } from "../hooks/use-send-message";
import { useTypingNotifier } from "../hooks/use-typing-notifier";
import styles from "./channel-view.module.css";

const SHOW_COUNTER_FROM = MAX_MESSAGE_LENGTH - 200;
/** Unsent text per channel for this page's lifetime: switching channels keeps your words. */
const drafts = new Map<Snowflake, string>();

export function Composer({ channel, onJumpToPresent }: { channel: Channel; onJumpToPresent: () => void }) {
  const { send } = useSendMessage(channel.id);
  const { notifyTyping, resetTyping } = useTypingNotifier(channel.id);
  const [draft, setDraftState] = useState(() => drafts.get(channel.id) ?? "");
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  // On touch screens focusing the box opens the on-screen keyboard: only on request there.
  const touch = useMediaQuery("(pointer: coarse)");
  const length = Array.from(draft.trim()).length;
  const tooLong = length > MAX_MESSAGE_LENGTH;

  const setDraft = (value: string) => {
    setDraftState(value);
    if (value) drafts.set(channel.id, value);
    else drafts.delete(channel.id);
  };

  useLayoutEffect(() => {
    const el = textareaRef.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, window.innerHeight * 0.5)}px`;
  }, [draft]);

  function submit() {
    if (length === 0 || tooLong) return;
    send(draft);
    setDraft("");
    resetTyping();
    onJumpToPresent();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // isComposing: Enter that confirms an IME candidate must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === "Escape") {
      onJumpToPresent();
    }
  }

  return (
    <form className={styles.composer} onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <div className={`${styles.inputBox} ${tooLong ? styles.inputTooLong : ""}`}>
        <textarea
          ref={textareaRef}
          id="composer"
          className={styles.textarea}
          rows={1}
          value={draft}
          placeholder={`Message #${channel.name}`}
          aria-label={`Message #${channel.name}`}
          aria-invalid={tooLong || undefined}
          aria-describedby={length >= SHOW_COUNTER_FROM ? `counter-${channel.id}` : undefined}
          enterKeyHint="send"
          onChange={(e) => {
            setDraft(e.target.value);
            if (e.target.value.trim()) notifyTyping();
          }}
          onKeyDown={onKeyDown}
          autoFocus={!touch}
          data-testid="composer"
        />
        {length >= SHOW_COUNTER_FROM && (
          <span id={`counter-${channel.id}`} className={`${styles.counter} ${tooLong ? styles.counterOver : ""}`}
            data-testid="composer-counter" aria-live="polite">
            {MAX_MESSAGE_LENGTH - length}
            <span className="visually-hidden"> characters left</span>
          </span>
        )}
        <button type="submit" className={styles.sendButton} aria-label="Send message" disabled={length === 0 || tooLong} data-testid="send-button">
          <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="currentColor">
            <path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z" />
          </svg>
        </button>
      </div>
    </form>
  );
}
