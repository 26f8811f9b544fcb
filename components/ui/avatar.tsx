// Round avatar with initials on a colour derived from the user id, with an optional
// presence dot cut into its corner (as Discord draws it).
import type { PresenceStatus } from "../../lib/domain/types";
import { hueOf, initialsOf } from "../lib/initials";
import styles from "./avatar.module.css";
import { PresenceDot } from "./presence-dot";

interface AvatarProps {
  id: string;
  name: string;
  size?: number;
  status?: PresenceStatus;
}

export function Avatar({ id, name, size = 40, status }: AvatarProps) {
  return (
    <span className={styles.avatar} style={{ width: size, height: size }} aria-hidden={status ? undefined : true}>
      <span
        className={styles.face}
        style={{ background: `hsl(${hueOf(id)} 55% 45%)`, fontSize: Math.round(size * 0.4) }}
        aria-hidden="true"
      >
        {initialsOf(name, 2)}
      </span>
      {status && <PresenceDot status={status} className={styles.dot} />}
    </span>
  );
}
