"use client";
// A round link in the server rail (home, a server), with the white pill on its left that
// marks the active server, as in Discord.
import Link from "next/link";
import type { ReactNode } from "react";
import { initialsOf } from "../lib/initials";
import styles from "./server-rail.module.css";

interface RailLinkProps {
  href: string;
  label: string;
  active: boolean;
  testId: string;
  /** Draw the label's initials instead of children. */
  initials?: boolean;
  children?: ReactNode;
}

export function RailLink({ href, label, active, testId, initials, children }: RailLinkProps) {
  return (
    <div className={`${styles.item} ${active ? styles.active : ""}`}>
      <span className={styles.pill} aria-hidden="true" />
      <Link
        href={href}
        className={styles.icon}
        aria-label={label}
        aria-current={active ? "page" : undefined}
        title={label}
        data-testid={testId}
      >
        {initials ? <span className={styles.initials} aria-hidden="true">{initialsOf(label)}</span> : children}
      </Link>
    </div>
  );
}
