"use client";
// The server's text channels as links. The open one is highlighted; channels with messages I
// have not read are drawn bright with a pill on the left, as in Discord.
import Link from "next/link";
import { useParams } from "next/navigation";
import type { Server } from "../../lib/domain/types";
import { isUnread, useReadStateStore } from "../state/read-state-store";
import styles from "./channel-list.module.css";

export function ChannelList({ server }: { server: Server }) {
  const { channelId } = useParams<{ channelId?: string }>();
  const readStates = useReadStateStore((s) => s.byChannel);
  return (
    <nav aria-label="Channels" aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Alt+Shift+ArrowUp Alt+Shift+ArrowDown">
      <ul className={styles.list}>
        {server.channels.map((channel) => {
          const active = channel.id === channelId;
          const unread = !active && isUnread(readStates[channel.id]);
          return (
            <li key={channel.id} className={styles.item}>
              {unread && <span className={styles.pill} aria-hidden="true" />}
              <Link
                href={`/channels/${server.id}/${channel.id}`}
                className={`${styles.channel} ${active ? styles.active : ""} ${unread ? styles.unread : ""}`}
                aria-current={active ? "page" : undefined}
                aria-label={unread ? `${channel.name} (unread)` : undefined}
                data-testid={`channel-link-${channel.name}`}
                data-unread={unread}
              >
                <span className={styles.hash} aria-hidden="true">#</span>
                <span className={styles.name}>{channel.name}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
