// After every `ready` (the socket is in its rooms by then, so nothing new can slip past):
// refresh the unread state, and after a reconnect mark every loaded channel stale (and retry
// the ones that could not load at all). What is on screen is refilled once the connection
// focuses it again (focus.ts, refreshFocused); every other channel when it is next viewed.
// Member lists need nothing here: they subscribe again after every `ready` (member-list-watch.ts)
// and the SYNC that follows replaces what they held.
import { loadLatest } from "../api/history-loader";
import { parleyApi } from "../api/parley-api";
import { useMessagesStore } from "../state/messages-store";
import { useReadStateStore } from "../state/read-state-store";

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
