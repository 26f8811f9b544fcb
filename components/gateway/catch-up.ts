// After every `ready` (the socket is in its rooms by then, so nothing new can slip past):
// refresh the unread state, and after a reconnect mark every loaded channel stale (and retry
// the ones that could not load at all). What is on screen is refilled once the connection
// focuses it again (focus.ts, refreshFocused); every other channel when it is next viewed.
// Member lists need nothing here: they subscribe again after every `ready` (member-list-watch.ts)
// and the SYNC that follows replaces what they held.
import { fillGap, loadLatest } from "../api/history-loader";
import { parleyApi } from "../api/parley-api";
import { useMessagesStore } from "../state/messages-store";
import { useOnScreenStore } from "../state/on-screen-store";
import { useReadStateStore } from "../state/read-state-store";

/** `gateway:resync` reaches every client at once: each waits up to this long, so history is not stampeded. */
const RESYNC_SPREAD_MS = 3_000;

export async function catchUp({ reconnect }: { reconnect: boolean }): Promise<void> {
  if (reconnect) {
    useMessagesStore.getState().markAllStale();
    // Channels that failed to load while we were away get another go.
    for (const [channelId, channel] of Object.entries(useMessagesStore.getState().channels)) {
      if (channel.status === "error") void loadLatest(channelId);
    }
  }
  try {
    useReadStateStore.getState().setAll(await parleyApi.listReadStates());
  } catch {
    // Unread marks stay as they were; live events still update them.
  }
}

/**
 * `gateway:resync` (docs/api.md): live events may have been lost while the connection stayed
 * up. A random moment later, what a reconnect does is done (every loaded channel stale, unread
 * state reloaded) and what is on screen is filled from history; notices that arrive meanwhile
 * are served by the same fill. `stop` drops a fill still waiting.
 */
export function resyncLater(spreadMs = RESYNC_SPREAD_MS): { notice(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    notice() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        void resync();
      }, Math.random() * spreadMs);
    },
    stop: () => clearTimeout(timer),
  };
}

async function resync(): Promise<void> {
  await catchUp({ reconnect: true });
  await Promise.all(useOnScreenStore.getState().channelIds.map((id) => fillGap(id)));
}
