"use client";
// The far-left column: home, one round icon per server, and the create / join actions.
import { useParams } from "next/navigation";
import { useState } from "react";
import { serverHasUnread, useReadStateStore } from "../state/read-state-store";
import { useServersStore } from "../state/servers-store";
import { useUiStore } from "../state/ui-store";
import { useDrawerPart } from "../hooks/use-drawer-part";
import { CreateServerDialog } from "./create-server-dialog";
import { JoinServerDialog } from "./join-server-dialog";
import { RailButton } from "./rail-button";
import { RailLink } from "./rail-link";
import styles from "./server-rail.module.css";

export function ServerRail() {
  const servers = useServersStore((s) => s.servers);
  const readStates = useReadStateStore((s) => s.byChannel);
  const { serverId } = useParams<{ serverId?: string }>();
  const [dialog, setDialog] = useState<"create" | "join" | null>(null);
  const drawer = useDrawerPart("channels");
  const openDrawer = useUiStore((s) => s.openDrawer);

  return (
    <nav className={styles.rail} aria-label="Servers" data-testid="server-rail" inert={drawer.inert} data-drawer-part="channels">
      <RailLink href="/channels" label="Home" active={!serverId} testId="rail-home">
        <img src="/icon.svg" alt="" width={48} height={48} className={styles.logo} />
      </RailLink>
      <div className={styles.separator} role="separator" />
      <ul className={styles.list}>
        {servers.map((server) => {
          const first = server.channels[0];
          return (
            <li key={server.id}>
              <RailLink
                href={first ? `/channels/${server.id}/${first.id}` : `/channels/${server.id}`}
                label={server.name}
                active={server.id === serverId}
                unread={server.id !== serverId && serverHasUnread(server, readStates)}
                initials
                testId={`rail-server-${server.id}`}
              />
            </li>
          );
        })}
      </ul>
      <RailButton label="Create a server" onClick={() => { openDrawer(null); setDialog("create"); }} testId="rail-create-server" accent>
        <span aria-hidden="true" className={styles.plus}>+</span>
      </RailButton>
      <RailButton label="Join a server" onClick={() => { openDrawer(null); setDialog("join"); }} testId="rail-join-server" accent>
        <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="currentColor">
          <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm3.7 6.3-2 5.4a1 1 0 0 1-.6.6l-5.4 2 2-5.4a1 1 0 0 1 .6-.6l5.4-2ZM12 11a1 1 0 1 0 0 2 1 1 0 0 0 0-2Z" />
        </svg>
      </RailButton>
      {dialog === "create" && <CreateServerDialog onClose={() => setDialog(null)} />}
      {dialog === "join" && <JoinServerDialog onClose={() => setDialog(null)} />}
    </nav>
  );
}
