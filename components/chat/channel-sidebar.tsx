"use client";
// Second column: server name and invite button, the channel list, and my user card.
import { useState } from "react";
import type { Server } from "../../lib/domain/types";
import { useDrawerPart } from "../hooks/use-drawer-part";
import { useServersStore } from "../state/servers-store";
import { ChannelList } from "./channel-list";
import styles from "./channel-sidebar.module.css";
import { CreateChannelDialog } from "./create-channel-dialog";
import { InviteDialog } from "./invite-dialog";
import { UserCard } from "./user-card";

export function ChannelSidebar({ server }: { server: Server }) {
  const isOwner = useServersStore((s) => s.me?.id === server.ownerId);
  const [dialog, setDialog] = useState<"invite" | "channel" | null>(null);
  const drawer = useDrawerPart("channels");

  return (
    <aside className={styles.sidebar} aria-label={`${server.name} channels`} inert={drawer.inert} data-drawer-part="channels"
      data-testid="channel-sidebar">
      <header className={styles.header}>
        <h2 className={styles.serverName} data-testid="server-name" title={server.name}>{server.name}</h2>
        <button type="button" className={styles.iconButton} onClick={() => setDialog("invite")}
          aria-label="Invite people" title="Invite people" data-testid="invite-button">
          <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">
            <path d="M14 8a4 4 0 1 1-8 0 4 4 0 0 1 8 0ZM2 20c0-3.3 3.6-6 8-6s8 2.7 8 6v1H2v-1Zm17-13h2v3h3v2h-3v3h-2v-3h-3v-2h3V7Z" />
          </svg>
        </button>
      </header>
      <div className={styles.scroll}>
        <div className={styles.section}>
          <span className={styles.sectionTitle}>Text Channels</span>
          {isOwner && (
            <button type="button" className={styles.iconButton} onClick={() => setDialog("channel")}
              aria-label="Create channel" title="Create channel" data-testid="create-channel">
              <span aria-hidden="true" className={styles.plus}>+</span>
            </button>
          )}
        </div>
        <ChannelList server={server} />
      </div>
      <UserCard />
      {dialog === "invite" && <InviteDialog server={server} onClose={() => setDialog(null)} />}
      {dialog === "channel" && <CreateChannelDialog server={server} onClose={() => setDialog(null)} />}
    </aside>
  );
}
