// A centred message for "nothing here" and "not found" screens.
import type { ReactNode } from "react";
import styles from "./empty-state.module.css";

export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className={styles.empty} data-testid={testId}>
      <h2 className={styles.title}>{title}</h2>
      {children && <div className={styles.body}>{children}</div>}
    </div>
  );
}
