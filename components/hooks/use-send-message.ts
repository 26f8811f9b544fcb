"use client";
// The composer's and the message row's view of sending: everything goes through the outbox
// owned by the gateway hook (pending at once, same nonce on every retry).
import { useCallback } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { useGatewayActions } from "../gateway/gateway-context";

export const MAX_MESSAGE_LENGTH = 2000;

export function useSendMessage(channelId: Snowflake) {
  const gateway = useGatewayActions();
  return {
    send: useCallback(
      (raw: string) => {
        const content = raw.trim();
        if (content) gateway.sendMessage(channelId, content);
      },
      [gateway, channelId],
    ),
    retry: useCallback((nonce: string) => gateway.retryMessage(channelId, nonce), [gateway, channelId]),
    remove: useCallback((nonce: string) => gateway.deleteMessage(channelId, nonce), [gateway, channelId]),
  };
}
