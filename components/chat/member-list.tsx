"use client";
// Right column: the server's member list, lazy and live (contract v2, Member list). It is
// virtualized: the full height is every row's, only the rows in view are in the page, and only
// the 100-row blocks in view are subscribed to, so a server of 10,000 costs what a server of
// 50 does. Rows change by the server's ops alone (presence, joins, leaves, names).
import type { Snowflake } from "../../lib/ids/snowflake";
import { useDrawerPart } from "../hooks/use-drawer-part";
import { useScrollViewport } from "../hooks/use-scroll-viewport";
import { useWatchMemberRows } from "../hooks/use-watch-member-rows";
import { useMemberListStore } from "../state/member-list-store";
import styles from "./member-list.module.css";
import { MemberListRows } from "./member-list-rows";
import { MEMBER_ROW_HEIGHT, describeList, rowsInView } from "./member-list-window";

export function MemberList({ serverId, ownerId }: { serverId: Snowflake; ownerId: Snowflake }) {
  const list = useMemberListStore((s) => s.byServer[serverId]);
  const drawer = useDrawerPart("members");
  const viewport = useScrollViewport<HTMLDivElement>();
  useWatchMemberRows(serverId, Math.floor(viewport.scrollTop / MEMBER_ROW_HEIGHT));

  const rowCount = list ? list.groups.length + list.memberCount : 0;
  const [start, end] = rowsInView(viewport.scrollTop, viewport.height, rowCount);

  return (
    <aside className={styles.sidebar} aria-label="Members" data-testid="member-list" inert={drawer.inert} data-drawer-part="members">
      {!list && <p className={styles.note} role="status">Loading members…</p>}
      <div ref={viewport.ref} className={styles.scroller} onScroll={viewport.onScroll} tabIndex={0}
        role="list" aria-label={list ? describeList(list.memberCount, list.onlineCount) : "Members"} aria-busy={!list}
        data-testid="member-list-scroller" data-row-count={rowCount} data-member-count={list?.memberCount ?? 0}
        data-online-count={list?.onlineCount ?? 0}>
        <div className={styles.canvas} style={{ height: rowCount * MEMBER_ROW_HEIGHT }} role="none">
          {list && <MemberListRows list={list} start={start} end={end} ownerId={ownerId} />}
        </div>
      </div>
    </aside>
  );
}
