// A coloured status dot. Colour is not the only cue: it carries a label for screen readers.
import type { PresenceStatus } from "../../lib/domain/types";
import styles from "./presence-dot.module.css";

export const PRESENCE_LABEL: Record<PresenceStatus, string> = {
  online: "Online",
  idle: "Idle",
  dnd: "Do Not Disturb",
  offline: "Offline",
};

export function PresenceDot({ status, className }: { status: PresenceStatus; className?: string }) {
  return (
    <span
      className={`${styles.dot} ${styles[status]} ${className ?? ""}`}
      role="img"
      aria-label={PRESENCE_LABEL[status]}
      title={PRESENCE_LABEL[status]}
      data-testid="presence-dot"
      data-status={status}
    />
  );
}
