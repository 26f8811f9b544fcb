"use client";
// Optimistic sending: the message shows as pending at once, then the ack (or the matching
// `message:create`, whichever comes first) replaces it. Retrying re-sends the same nonce, so
// the server stores it at most once even if the first attempt did get through.
import { useCallback } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { useGatewayActions } from "../gateway/gateway-context";
import { newNonce } from "../lib/nonce";
import { useMessagesStore } from "../state/messages-store";
import { useServersStore } from "../state/servers-store";

export const MAX_MESSAGE_LENGTH = 2000;

export function useSendMessage(channelId: Snowflake) {
  const gateway = useGatewayActions();

  const deliver = useCallback(
    async (nonce: string, content: string) => {
      const result = await gateway.sendMessage({ channelId, content, nonce });
      const store = useMessagesStore.getState();
      if (result.ok) store.receive({ ...result.message, nonce: result.message.nonce ?? nonce });
      else store.setPendingState(channelId, nonce, "failed", result.error.message);
    },
    [gateway, channelId],
  );

  const send = useCallback(
    (raw: string) => {
      const content = raw.trim();
      const me = useServersStore.getState().me;
      if (!content || !me) return;
      const nonce = newNonce();
      useMessagesStore.getState().addPending({
        nonce,
        channelId,
        author: me,
        content,
        createdAt: new Date().toISOString(),
        state: "sending",
      });
      void deliver(nonce, content);
    },
    [channelId, deliver],
  );

  const retry = useCallback(
    (nonce: string) => {
      const store = useMessagesStore.getState();
      const pending = store.channels[channelId]?.pending.find((p) => p.nonce === nonce);
      if (!pending || pending.state !== "failed") return;
      store.setPendingState(channelId, nonce, "sending");
      void deliver(nonce, pending.content);
    },
    [channelId, deliver],
  );

  return { send, retry };
}
