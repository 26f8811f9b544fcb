// Above the first loaded message: a placeholder while older history remains (it loads as you
// approach), the channel's welcome once the very beginning is reached, or a load error.
import type { ChannelMessages } from "../state/messages-store";
import styles from "./message-list.module.css";

interface HeaderProps {
  channelName: string;
  state: ChannelMessages;
  onReload: () => void;
}

export function MessageListHeader({ channelName, state, onReload }: HeaderProps) {
  if (state.status === "error") {
    return (
      <p className={styles.status} role="alert">
        {state.error ?? "Could not load messages."}{" "}
        <button type="button" className="btn btn-secondary" onClick={onReload}>Try again</button>
      </p>
    );
  }
  if (state.status !== "ready") return <p className={styles.status}>Loading messages…</p>;
  if (state.hasOlder) {
    return (
      <div className={styles.loadingOlder} aria-live="polite" data-testid="loading-older">
        {state.loadingOlder ? "Loading older messages…" : ""}
      </div>
    );
  }
  return (
    <div className={styles.channelStart} data-testid="channel-start">
      <div className={styles.startIcon} aria-hidden="true">#</div>
      <h2 className={styles.startTitle}>Welcome to #{channelName}!</h2>
      <p className={styles.startText}>This is the start of the #{channelName} channel.</p>
    </div>
  );
}
