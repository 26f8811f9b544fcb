"use client";
// "Try again" on the offline page; it also reloads by itself as soon as the network returns,
// and every few seconds while the device says it is online: the network may have come back
// before this page was ready to hear the `online` event, or it was the server that was away.
import { useEffect } from "react";

const RETRY_EVERY_MS = 5_000;

export function OfflineRetry() {
  useEffect(() => {
    const reload = () => window.location.reload();
    window.addEventListener("online", reload);
    // Shown in place of another page (the service worker's fallback): try that page again.
    const retry = window.location.pathname === "/offline" ? undefined : setInterval(() => navigator.onLine && reload(), RETRY_EVERY_MS);
    return () => {
      window.removeEventListener("online", reload);
      clearInterval(retry);
    };
  }, []);
  return (
    <button type="button" className="btn btn-block" onClick={() => window.location.reload()} data-testid="offline-retry">
      Try again
    </button>
  );
}
