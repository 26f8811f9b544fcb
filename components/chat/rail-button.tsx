"use client";
// A round action button in the server rail (create, join), styled like the server icons.
import type { ReactNode } from "react";
import styles from "./server-rail.module.css";

interface RailButtonProps {
  label: string;
  onClick: () => void;
  testId: string;
  accent?: boolean;
  children: ReactNode;
}

export function RailButton({ label, onClick, testId, accent, children }: RailButtonProps) {
  return (
    <div className={styles.item}>
      <span className={styles.pill} aria-hidden="true" />
      <button
        type="button"
        className={`${styles.icon} ${accent ? styles.accent : ""}`}
        aria-label={label}
        title={label}
        onClick={onClick}
        data-testid={testId}
      >
        {children}
      </button>
    </div>
  );
}
