"use client";
// The three columns of one server: channel sidebar, the open channel (children), members.
import Link from "next/link";
import type { ReactNode } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { useDrawerPart } from "../hooks/use-drawer-part";
import { selectServer, useServersStore } from "../state/servers-store";
import { EmptyState } from "../ui/empty-state";
import { ChannelSidebar } from "./channel-sidebar";
import { MemberList } from "./member-list";
import styles from "./server-view.module.css";

export function ServerView({ serverId, children }: { serverId: Snowflake; children: ReactNode }) {
  const loaded = useServersStore((s) => s.loaded);
  const server = useServersStore(selectServer(serverId));
  const main = useDrawerPart("main");

  if (!loaded) return <EmptyState title="Loading…" />;
  if (!server) {
    return (
      <EmptyState title="Server not found" testId="server-not-found">
        <p>You are not a member of this server, or it no longer exists.</p>
        <Link href="/channels">Back to your servers</Link>
      </EmptyState>
    );
  }
  return (
    <>
      <ChannelSidebar server={server} />
      <main className={styles.center} inert={main.inert}>{children}</main>
      {/* Keyed: another server starts at the top of its own list. */}
      <MemberList key={server.id} serverId={server.id} ownerId={server.ownerId} />
    </>
  );
}
