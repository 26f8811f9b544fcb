"use client";
// A thin bar across the top whenever the gateway is not connected: live updates are paused
// and sends will wait, so people should know.
import { signOut } from "next-auth/react";
import { useEffect, useState } from "react";
import { useConnectionStore } from "../state/connection-store";
import styles from "./connection-banner.module.css";

// A first connection usually takes well under a second: only mention it if it drags on.
const CONNECTING_GRACE_MS = 1_500;

export function ConnectionBanner() {
  const status = useConnectionStore((s) => s.status);
  const [graceOver, setGraceOver] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => setGraceOver(true), CONNECTING_GRACE_MS);
    return () => clearTimeout(timer);
  }, []);

  if (status === "connected" || (status === "connecting" && !graceOver)) return null;

  return (
    <div className={`${styles.banner} ${styles[status]}`} role="status" aria-live="polite" data-testid="connection-banner" data-status={status}>
      {status === "connecting" && "Connecting to Parley…"}
      {status === "reconnecting" && "Connection lost. Reconnecting… messages you send will be delivered once we're back."}
      {status === "unauthorized" && (
        <>
          Your session has ended.{" "}
          <button type="button" className={styles.action} onClick={() => signOut({ callbackUrl: "/login" })}>
            Sign in again
          </button>
        </>
      )}
    </div>
  );
}
