// The connection focuses what is on screen (contract v2, Focus): after every `ready` and
// whenever the on-screen channels change it sends `channels:focus` with them, so their
// messages arrive in full and every other channel only as `channel:activity` (which keeps the
// unread marks right, listeners.ts). Once a focus holds, the channels it dropped are marked
// stale (their live messages are missed from then on) and the ones it took are refilled from
// history, which catches what came before the focus held. A channel the connection already
// focused before the call stayed focused throughout, so it has missed nothing and is not refilled;
// after a disconnect nothing counts as focused (the next connection starts unfocused).
import { refreshFocused } from "../api/history-loader";
import { useMessagesStore } from "../state/messages-store";
import { useOnScreenStore } from "../state/on-screen-store";
import type { ParleySocket } from "./listeners";

const ACK_TIMEOUT_MS = 10_000;
/** After a refusal that may pass (rate limit, no answer), try again this much later. */
const RETRY_MS = 3_000;
/** The contract's limit; more on screen than this would be refused as a whole. */
const MAX_FOCUSED = 10;

export function trackFocus(socket: ParleySocket): { afterReady(): void; afterResumed(): void; stop(): void } {
  let ready = false;
  /** What the connection focuses as far as the server is concerned (the last focus that held). */
  let focused = new Set<string>();
  let sending = false;
  let again = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const send = async (): Promise<void> => {
    if (!ready || !socket.connected) return;
    if (sending) {
      again = true; // one more call with whatever is on screen once this one is answered
      return;
    }
    clearTimeout(retry);
    sending = true;
    const channelIds = useOnScreenStore.getState().channelIds.slice(0, MAX_FOCUSED);
    let code: string | undefined;
    try {
      const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("channels:focus", { channelIds });
      if (ack.ok) {
        held(channelIds, focused);
        focused = new Set(channelIds);
      } else code = ack.error.code;
    } catch {
      code = "UNAVAILABLE";
    } finally {
      sending = false;
    }
    // FORBIDDEN: something on screen cannot be read (a server just left); the screen changes next.
    if (code === "RATE_LIMITED" || code === "UNAVAILABLE" || code === "INTERNAL") retry = setTimeout(() => void send(), RETRY_MS);
    if (again) {
      again = false;
      void send();
    }
  };

  const stopWatching = useOnScreenStore.subscribe((state, previous) => {
    if (state.channelIds !== previous.channelIds) void send();
  });
  /** What was focused when the connection dropped: a resumed connection still focuses it. */
  let focusedBeforeDrop = new Set<string>();
  const onDisconnect = () => {
    ready = false;
    focusedBeforeDrop = focused;
    focused = new Set();
    clearTimeout(retry);
  };
  socket.on("disconnect", onDisconnect);

  return {
    afterReady() {
      ready = true;
      void send();
    },
    /** A resumed connection (no `ready`): the server kept its focus and replayed what it missed. */
    afterResumed() {
      ready = true;
      focused = focusedBeforeDrop;
      void send();
    },
    stop() {
      stopWatching();
      socket.off("disconnect", onDisconnect);
      clearTimeout(retry);
    },
  };
}

/** A focus on `channelIds` holds; `before` is what the connection focused until now. */
function held(channelIds: string[], before: ReadonlySet<string>): void {
  const now = new Set(channelIds);
  const messages = useMessagesStore.getState();
  messages.markStale(Object.keys(messages.channels).filter((id) => !now.has(id)));
  for (const id of channelIds) if (!before.has(id)) void refreshFocused(id);
}
