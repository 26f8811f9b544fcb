"use client";
// A thin bar across the top whenever the gateway is not connected (live updates are paused,
// sends wait in the outbox), and a short green "connected" once it is back.
import { signOut } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { useConnectionStore, type ConnectionStatus } from "../state/connection-store";
import styles from "./connection-banner.module.css";

// A first connection usually takes well under a second: only mention it if it drags on.
const CONNECTING_GRACE_MS = 1_500;
const BACK_ONLINE_MS = 2_500;

export function ConnectionBanner() {
  const status = useConnectionStore((s) => s.status);
  const [graceOver, setGraceOver] = useState(false);
  const [backOnline, setBackOnline] = useState(false);
  const previous = useRef<ConnectionStatus>(status);

  useEffect(() => {
    const timer = setTimeout(() => setGraceOver(true), CONNECTING_GRACE_MS);
    return () => clearTimeout(timer);
  }, []);

  useEffect(() => {
    const was = previous.current;
    previous.current = status;
    if (status !== "connected" || (was !== "reconnecting" && was !== "offline")) return;
    setBackOnline(true);
    const timer = setTimeout(() => setBackOnline(false), BACK_ONLINE_MS);
    return () => clearTimeout(timer);
  }, [status]);

  if ((status === "connected" && !backOnline) || (status === "connecting" && !graceOver)) return null;

  return (
    <div className={`${styles.banner} ${styles[status]}`} role="status" aria-live="polite" data-testid="connection-banner" data-status={status}>
      {status === "connected" && "Connected. You're back online."}
      {status === "connecting" && "Connecting to Parley…"}
      {status === "reconnecting" && "Connection lost. Reconnecting… messages you send will be delivered once we're back."}
      {status === "offline" && "You're offline. Messages you send will be delivered when the connection returns."}
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
