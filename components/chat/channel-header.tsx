"use client";
// The bar above the messages: the channel's name, and the buttons that open the channel
// drawer (phones) and show or hide the member list (a drawer on narrow screens).
import type { Channel } from "../../lib/domain/types";
import { useUiStore } from "../state/ui-store";
import styles from "./channel-view.module.css";

export function ChannelHeader({ channel }: { channel: Channel }) {
  const drawer = useUiStore((s) => s.drawer);
  const membersHidden = useUiStore((s) => s.membersHidden);
  const openDrawer = useUiStore((s) => s.openDrawer);
  const toggleMembers = useUiStore((s) => s.toggleMembers);

  function onMembers() {
    // Wide screens show the list beside the chat; narrower ones slide it in as a drawer.
    if (window.matchMedia("(min-width: 1100px)").matches) toggleMembers();
    else openDrawer(drawer === "members" ? null : "members");
  }

  return (
    <header className={styles.header}>
      <button type="button" className={`${styles.headerButton} ${styles.menuButton}`} onClick={() => openDrawer("channels")}
        aria-label="Open channels" aria-expanded={drawer === "channels"} data-testid="open-channels" data-drawer-toggle="channels">
        <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="currentColor">
          <path d="M3 6h18v2H3V6Zm0 5h18v2H3v-2Zm0 5h18v2H3v-2Z" />
        </svg>
      </button>
      <span className={styles.hash} aria-hidden="true">#</span>
      <h1 id={`channel-title-${channel.id}`} className={styles.title} data-testid="channel-name">{channel.name}</h1>
      <button type="button" className={`${styles.headerButton} ${membersHidden ? "" : styles.headerButtonOn}`} onClick={onMembers}
        aria-label="Member list" aria-pressed={drawer === "members" || !membersHidden} data-testid="toggle-members" data-drawer-toggle="members">
        <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="currentColor">
          <path d="M14.5 8a3.5 3.5 0 1 1-7 0 3.5 3.5 0 0 1 7 0ZM4 19c0-3 3.1-5.5 7-5.5s7 2.5 7 5.5v1H4v-1Zm13.5-9.2a3 3 0 1 0-1.2-5.75 5.5 5.5 0 0 1 0 5.9c.37.14.78.2 1.2.2Zm1.6 4.1c1.8.9 2.9 2.4 2.9 4.1v1h-2v-1c0-1.6-.8-3-2.3-4.1h1.4Z" />
        </svg>
      </button>
    </header>
  );
}
