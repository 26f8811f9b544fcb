"use client";
// The signed-in frame around every /channels page: it opens the gateway once (so switching
// servers or channels never reconnects), and draws the server rail, the connection banner and
// the backdrop behind an open drawer on narrow screens.
import { useParams } from "next/navigation";
import type { ReactNode } from "react";
import { GatewayProvider } from "../gateway/gateway-context";
import { useDrawerFocus } from "../hooks/use-drawer-focus";
import { useGateway } from "../hooks/use-gateway";
import { useKeyboardShortcuts } from "../hooks/use-keyboard-shortcuts";
import { useUiStore } from "../state/ui-store";
import styles from "./chat-shell.module.css";
import { ConnectionBanner } from "./connection-banner";
import { ServerRail } from "./server-rail";

export function ChatShell({ children }: { children: ReactNode }) {
  const gateway = useGateway();
  const drawer = useUiStore((s) => s.drawer);
  const membersHidden = useUiStore((s) => s.membersHidden);
  const openDrawer = useUiStore((s) => s.openDrawer);
  const inServer = !!useParams<{ serverId?: string }>().serverId;
  useDrawerFocus();
  useKeyboardShortcuts();

  return (
    <GatewayProvider value={gateway}>
      <a className="skip-link" href="#composer">Skip to the message box</a>
      <div className={styles.shell} data-drawer={drawer ?? "none"} data-in-server={inServer} data-members-hidden={membersHidden}>
        <ServerRail />
        <div className={styles.main}>
          <ConnectionBanner />
          <div className={styles.content}>{children}</div>
        </div>
        {drawer && <div className={styles.backdrop} onClick={() => openDrawer(null)} aria-hidden="true" data-testid="drawer-backdrop" />}
      </div>
    </GatewayProvider>
  );
}
