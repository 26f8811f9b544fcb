"use client";
// A round link in the server rail (home, a server), with the pill on its left that marks the
// active server (tall) or a server with unread messages (short), as in Discord.
import Link from "next/link";
import type { ReactNode } from "react";
import { initialsOf } from "../lib/initials";
import styles from "./server-rail.module.css";

interface RailLinkProps {
  href: string;
  label: string;
  active: boolean;
  unread?: boolean;
  testId: string;
  /** Draw the label's initials instead of children. */
  initials?: boolean;
  children?: ReactNode;
}

export function RailLink({ href, label, active, unread, testId, initials, children }: RailLinkProps) {
  return (
    <div className={`${styles.item} ${active ? styles.active : ""} ${unread ? styles.unread : ""}`}>
      <span className={styles.pill} aria-hidden="true" />
      <Link
        href={href}
        className={styles.icon}
        aria-label={unread ? `${label} (unread messages)` : label}
        aria-current={active ? "page" : undefined}
        title={label}
        data-testid={testId}
        data-unread={unread ?? false}
      >
        {initials ? <span className={styles.initials} aria-hidden="true">{initialsOf(label)}</span> : children}
      </Link>
    </div>
  );
}
