"use client";
// The signed-in frame around every /channels page: it opens the gateway once (so switching
// servers or channels never reconnects), and draws the server rail and connection banner.
import type { ReactNode } from "react";
import { GatewayProvider } from "../gateway/gateway-context";
import { useGateway } from "../hooks/use-gateway";
import styles from "./chat-shell.module.css";
import { ConnectionBanner } from "./connection-banner";
import { ServerRail } from "./server-rail";

export function ChatShell({ children }: { children: ReactNode }) {
  const gateway = useGateway();
  return (
    <GatewayProvider value={gateway}>
      <div className={styles.shell}>
        <ServerRail />
        <div className={styles.main}>
          <ConnectionBanner />
          <div className={styles.content}>{children}</div>
        </div>
      </div>
    </GatewayProvider>
  );
}
