"use client";
// "Try again" on the offline page; it also reloads by itself as soon as the network returns.
import { useEffect } from "react";

export function OfflineRetry() {
  useEffect(() => {
    const reload = () => window.location.reload();
    window.addEventListener("online", reload);
    return () => window.removeEventListener("online", reload);
  }, []);
  return (
    <button type="button" className="btn btn-block" onClick={() => window.location.reload()} data-testid="offline-retry">
      Try again
    </button>
  );
}
