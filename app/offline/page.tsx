// /offline: what the service worker shows when a page is requested without a network. Static,
// precached at install together with its styles and scripts.
import type { Metadata } from "next";
import { OfflineRetry } from "../../components/pwa/offline-retry";

export const metadata: Metadata = { title: "Offline" };

export default function OfflinePage() {
  return (
    <main className="screen-center">
      <div className="card offline-card" data-testid="offline-page">
        <img src="/icon.svg" alt="" width={64} height={64} />
        <h1 className="card-title">You&apos;re offline</h1>
        <p className="card-subtitle">
          Parley can&apos;t reach the network right now. Messages you wrote before losing the connection are kept
          and will be sent when you&apos;re back.
        </p>
        <OfflineRetry />
      </div>
    </main>
  );
}
