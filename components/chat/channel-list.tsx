"use client";
// The server's text channels as links; the open one is highlighted and marked current.
import Link from "next/link";
import { useParams } from "next/navigation";
import type { Server } from "../../lib/domain/types";
import styles from "./channel-list.module.css";

export function ChannelList({ server }: { server: Server }) {
  const { channelId } = useParams<{ channelId?: string }>();
  return (
    <nav aria-label="Channels">
      <ul className={styles.list}>
        {server.channels.map((channel) => {
          const active = channel.id === channelId;
          return (
            <li key={channel.id}>
              <Link
                href={`/channels/${server.id}/${channel.id}`}
                className={`${styles.channel} ${active ? styles.active : ""}`}
                aria-current={active ? "page" : undefined}
                data-testid={`channel-link-${channel.name}`}
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
