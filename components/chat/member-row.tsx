// One member row of the virtualized list: avatar with presence dot and display name (dimmed
// while offline), placed at its row. aria-posinset/setsize tell a screen reader where it is in
// the whole list, since only the rows in view exist in the page.
import type { Member } from "../../lib/domain/types";
import { PRESENCE_LABEL } from "../ui/presence-dot";
import { Avatar } from "../ui/avatar";
import styles from "./member-list.module.css";
import { MEMBER_ROW_HEIGHT } from "./member-list-window";

export interface RowPosition {
  index: number;
  setSize: number;
}

export function rowStyle(index: number): React.CSSProperties {
  return { top: index * MEMBER_ROW_HEIGHT, height: MEMBER_ROW_HEIGHT };
}

export function MemberRow({ member, isOwner, index, setSize }: { member: Member; isOwner: boolean } & RowPosition) {
  const { user, status } = member;
  return (
    <div role="listitem" aria-posinset={index + 1} aria-setsize={setSize} style={rowStyle(index)}
      aria-label={`${user.displayName}, ${PRESENCE_LABEL[status]}${isOwner ? ", server owner" : ""}`}
      className={`${styles.row} ${status === "offline" ? styles.offline : ""}`}
      data-testid={`member-${user.username}`} data-row-index={index} data-user-id={user.id} data-status={status}
      title={`${user.displayName} (@${user.username})`}>
      <Avatar id={user.id} name={user.displayName} size={32} status={status} />
      <span className={styles.name} data-testid="member-name">{user.displayName}</span>
      {isOwner && (
        <span className={styles.owner} role="img" aria-label="Server owner" title="Server owner">
          <svg aria-hidden="true" width="14" height="14" viewBox="0 0 24 24" fill="currentColor">
            <path d="M3 7l4.5 4L12 4l4.5 7L21 7l-2 12H5L3 7Z" />
          </svg>
        </span>
      )}
    </div>
  );
}

/** A row whose member has not arrived yet (its block's SYNC is on the way). */
export function MemberPlaceholder({ index, setSize }: RowPosition) {
  return (
    <div role="listitem" aria-posinset={index + 1} aria-setsize={setSize} aria-busy="true" aria-label="Loading member"
      style={rowStyle(index)} className={`${styles.row} ${styles.placeholder}`}
      data-testid="member-placeholder" data-row-index={index}>
      <span className={styles.placeholderAvatar} aria-hidden="true" />
      <span className={styles.placeholderName} aria-hidden="true" style={{ width: 60 + ((index * 37) % 70) }} />
    </div>
  );
}
