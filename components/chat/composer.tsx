"use client";
// The message box: Enter sends, Shift+Enter adds a line, grows with its content, and counts
// toward the 2000-character limit (in code points, as the server counts).
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import type { Channel } from "../../lib/domain/types";
import { MAX_MESSAGE_LENGTH, useSendMessage } from "../hooks/use-send-message";
import { useTypingNotifier } from "../hooks/use-typing-notifier";
import styles from "./channel-view.module.css";

const SHOW_COUNTER_FROM = MAX_MESSAGE_LENGTH - 200;

export function Composer({ channel }: { channel: Channel }) {
  const { send } = useSendMessage(channel.id);
  const { notifyTyping, resetTyping } = useTypingNotifier(channel.id);
  const [draft, setDraft] = useState("");
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const length = Array.from(draft.trim()).length;
  const tooLong = length > MAX_MESSAGE_LENGTH;

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
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // isComposing: Enter that confirms an IME candidate must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form className={styles.composer} onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <div className={`${styles.inputBox} ${tooLong ? styles.inputTooLong : ""}`}>
        <textarea
          ref={textareaRef}
          className={styles.textarea}
          rows={1}
          value={draft}
          placeholder={`Message #${channel.name}`}
          aria-label={`Message #${channel.name}`}
          aria-invalid={tooLong || undefined}
          aria-describedby={length >= SHOW_COUNTER_FROM ? `counter-${channel.id}` : undefined}
          onChange={(e) => {
            setDraft(e.target.value);
            if (e.target.value.trim()) notifyTyping();
          }}
          onKeyDown={onKeyDown}
          autoFocus
          data-testid="composer"
        />
        {length >= SHOW_COUNTER_FROM && (
          <span id={`counter-${channel.id}`} className={`${styles.counter} ${tooLong ? styles.counterOver : ""}`}
            data-testid="composer-counter">
            {MAX_MESSAGE_LENGTH - length}
            <span className="visually-hidden"> characters left</span>
          </span>
        )}
      </div>
    </form>
  );
}
