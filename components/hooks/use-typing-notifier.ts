"use client";
// Tells others I am typing at most once per THROTTLE_MS: they keep showing me for ~8 s, so
// a signal every 3 s keeps the indicator steady without flooding the gateway.
import { useCallback, useRef } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { useGatewayActions } from "../gateway/gateway-context";

const THROTTLE_MS = 3_000;

export function useTypingNotifier(channelId: Snowflake) {
  const gateway = useGatewayActions();
  const lastSentAt = useRef(0);

  const notifyTyping = useCallback(() => {
    const now = Date.now();
    if (now - lastSentAt.current < THROTTLE_MS) return;
    lastSentAt.current = now;
    gateway.startTyping(channelId);
  }, [gateway, channelId]);

  // After a send, the next keystroke starts a new "typing" at once, as Discord does.
  const resetTyping = useCallback(() => {
    lastSentAt.current = 0;
  }, []);

  return { notifyTyping, resetTyping };
}
