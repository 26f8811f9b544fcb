"use client";
// Bottom of the channel sidebar: who I am, my status (click to change it), and sign out.
import { signOut } from "next-auth/react";
import { useCallback, useState } from "react";
import type { ChosenStatus } from "../../lib/domain/types";
import { useGatewayActions } from "../gateway/gateway-context";
import { useMembersStore } from "../state/members-store";
import { useServersStore } from "../state/servers-store";
import { useUiStore } from "../state/ui-store";
import { Avatar } from "../ui/avatar";
import { StatusMenu, STATUS_LABEL } from "./status-menu";
import styles from "./user-card.module.css";

export function UserCard() {
  const me = useServersStore((s) => s.me);
  const chosen = useMembersStore((s) => s.myChosenStatus);
  const gateway = useGatewayActions();
  const [menuOpen, setMenuOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const closeMenu = useCallback(() => setMenuOpen(false), []);
  const theme = useUiStore((s) => s.theme);
  const setTheme = useUiStore((s) => s.setTheme);
  if (!me) return null;
  const nextTheme = theme === "dark" ? "light" : "dark";

  async function choose(status: ChosenStatus) {
    setMenuOpen(false);
    const result = await gateway.setPresence(status);
    if (result.ok && me) useMembersStore.getState().setMyChosenStatus(me.id, status);
    setError(result.ok ? null : result.error.message);
  }

  return (
    <section className={styles.card} aria-label="Your account" data-testid="user-card">
      <button type="button" className={styles.identity} onClick={() => setMenuOpen((open) => !open)}
        aria-haspopup="menu" aria-expanded={menuOpen} aria-label={`Set status (now ${STATUS_LABEL[chosen]})`}
        data-testid="status-button">
        <Avatar id={me.id} name={me.displayName} size={32} status={chosen === "invisible" ? "offline" : chosen} />
        <span className={styles.names}>
          <span className={styles.displayName} data-testid="user-card-name">{me.displayName}</span>
          <span className={styles.status}>{error ?? STATUS_LABEL[chosen]}</span>
        </span>
      </button>
      <button type="button" className={styles.signOut} onClick={() => setTheme(nextTheme)}
        aria-label={`Switch to the ${nextTheme} theme`} title={`Switch to the ${nextTheme} theme`} data-testid="theme-toggle" data-theme={theme}>
        {theme === "dark" ? (
          <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">
            <path d="M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10Zm0-5 1 3h-2l1-3Zm0 20-1-3h2l-1 3ZM2 12l3-1v2l-3-1Zm20 0-3 1v-2l3 1ZM4.9 4.9l2.8 1.4-1.4 1.4-1.4-2.8Zm14.2 14.2-2.8-1.4 1.4-1.4 1.4 2.8Zm0-14.2-1.4 2.8-1.4-1.4 2.8-1.4ZM4.9 19.1l1.4-2.8 1.4 1.4-2.8 1.4Z" />
          </svg>
        ) : (
          <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">
            <path d="M20 15.3A8.5 8.5 0 0 1 8.7 4a8.5 8.5 0 1 0 11.3 11.3Z" />
          </svg>
        )}
      </button>
      <button type="button" className={styles.signOut} onClick={() => signOut({ callbackUrl: "/login" })}
        aria-label="Sign out" title="Sign out" data-testid="sign-out">
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">
          <path d="M10 3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h5v-2H5V5h5V3Zm5.6 4.4L14.2 8.8l2.2 2.2H8v2h8.4l-2.2 2.2 1.4 1.4L20.2 12l-4.6-4.6Z" />
        </svg>
      </button>
      {menuOpen && <StatusMenu current={chosen} onChoose={choose} onClose={closeMenu} />}
    </section>
  );
}
