// Connects the outbox to the socket and the stores, and keeps undelivered messages in
// localStorage (restored on the next `ready`) so a reload or a closed tab loses nothing.
import type { Snowflake } from "../../lib/ids/snowflake";
import { Outbox } from "../lib/outbox";
import { useMessagesStore, type PendingMessage } from "../state/messages-store";
import { useReadStateStore } from "../state/read-state-store";
import type { ParleySocket } from "./listeners";
import { savePending, takeSavedPending } from "./outbox-storage";

export const ACK_TIMEOUT_MS = 15_000;
export const NO_ANSWER = { code: "UNAVAILABLE", message: "No answer from the server. Try again." } as const;

export function createOutbox(socket: ParleySocket): Outbox {
  const messages = useMessagesStore.getState();
  return new Outbox({
    async send({ channelId, content, nonce }) {
      if (!socket.connected) return { ok: false, error: NO_ANSWER };
      try {
        return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("message:send", { channelId, content, nonce });
      } catch {
        return { ok: false, error: NO_ANSWER };
      }
    },
    isConnected: () => socket.connected,
    delivered: (item, message) => {
      messages.receive({ ...message, nonce: message.nonce ?? item.nonce });
      useReadStateStore.getState().noteMessage(message.channelId, message.id, true);
    },
    stateChanged: (item, state, error) => messages.setPendingState(item.channelId, item.nonce, state, error),
  });
}

/** Puts saved messages back on screen and in line, then saves every later change. */
export function restoreAndPersist(outbox: Outbox, userId: Snowflake): () => void {
  const store = useMessagesStore.getState();
  for (const pending of takeSavedPending(userId)) {
    store.addPending({ ...pending, state: "queued", error: undefined });
    outbox.add({ channelId: pending.channelId, nonce: pending.nonce, content: pending.content });
  }
  let last: PendingMessage[] | undefined;
  const save = () => {
    const all = Object.values(useMessagesStore.getState().channels).flatMap((c) => c.pending);
    if (last && all.length === last.length && all.every((p, i) => p === last![i])) return;
    last = all;
    savePending(userId, all);
  };
  save();
  return useMessagesStore.subscribe(save);
}
