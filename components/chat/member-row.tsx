// One member: avatar with presence dot and display name (dimmed while offline).
import type { PresenceStatus, User } from "../../lib/domain/types";
import { Avatar } from "../ui/avatar";
import styles from "./member-list.module.css";

export function MemberRow({ user, status, isOwner }: { user: User; status: PresenceStatus; isOwner: boolean }) {
  return (
    <li className={`${styles.row} ${status === "offline" ? styles.offline : ""}`}
      data-testid={`member-${user.username}`} data-status={status} title={`${user.displayName} (@${user.username})`}>
      <Avatar id={user.id} name={user.displayName} size={32} status={status} />
      <span className={styles.name}>{user.displayName}</span>
      {isOwner && (
        <span className={styles.owner} role="img" aria-label="Server owner" title="Server owner">
          <svg aria-hidden="true" width="14" height="14" viewBox="0 0 24 24" fill="currentColor">
            <path d="M3 7l4.5 4L12 4l4.5 7L21 7l-2 12H5L3 7Z" />
          </svg>
        </span>
      )}
    </li>
  );
}
