"use client";
// Right column: the server's members split into Online and Offline, with live presence.
import { useMemo } from "react";
import type { Member, PresenceStatus } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { useDrawerPart } from "../hooks/use-drawer-part";
import { useServerMembers } from "../hooks/use-server-members";
import { useMembersStore } from "../state/members-store";
import styles from "./member-list.module.css";
import { MemberGroup } from "./member-group";

export interface MemberWithPresence {
  member: Member;
  status: PresenceStatus;
}

export function MemberList({ serverId, ownerId }: { serverId: Snowflake; ownerId: Snowflake }) {
  const entry = useServerMembers(serverId);
  const presence = useMembersStore((s) => s.presence);
  const drawer = useDrawerPart("members");

  const { online, offline } = useMemo(() => {
    const all = Object.values(entry?.members ?? {})
      .map((member) => ({ member, status: presence[member.user.id] ?? member.status }))
      .sort((a, b) => a.member.user.displayName.localeCompare(b.member.user.displayName));
    return { online: all.filter((m) => m.status !== "offline"), offline: all.filter((m) => m.status === "offline") };
  }, [entry, presence]);

  return (
    <aside className={styles.sidebar} aria-label="Members" data-testid="member-list" inert={drawer.inert} data-drawer-part="members">
      {entry?.status === "error" && <p className={styles.note}>Could not load members.</p>}
      {!entry?.members || (entry.status === "loading" && online.length + offline.length === 0) ? (
        <p className={styles.note}>Loading members…</p>
      ) : (
        <>
          <MemberGroup title="Online" group="online" members={online} ownerId={ownerId} />
          <MemberGroup title="Offline" group="offline" members={offline} ownerId={ownerId} />
        </>
      )}
    </aside>
  );
}
