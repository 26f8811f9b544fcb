"use client";
// Tells others I am typing at most once per THROTTLE_MS: they keep showing me for ~8 s, so
// a signal every 3 s keeps the indicator steady without flooding the gateway. The server
// announces at most one `typing:start` per user and channel every 3 s and drops the extras
// (docs/api.md), so a signal sent sooner than that would be lost.
import { useCallback, useEffect, useRef } from "react";
import type { Snowflake } from "../../lib/ids/snowflake";
import { useGatewayActions } from "../gateway/gateway-context";

const THROTTLE_MS = 3_000;
/** Clock and latency slack, so a delayed signal lands after the server's 3 s are over. */
const SLACK_MS = 250;

export function useTypingNotifier(channelId: Snowflake) {
  const gateway = useGatewayActions();
  const lastSentAt = useRef(0);
  const sentMessage = useRef(false);
  const delayed = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const send = useCallback(() => {
    clearTimeout(delayed.current);
    delayed.current = undefined;
    sentMessage.current = false;
    lastSentAt.current = Date.now();
    gateway.startTyping(channelId);
  }, [gateway, channelId]);

  const notifyTyping = useCallback(() => {
    const wait = lastSentAt.current + THROTTLE_MS - Date.now();
    if (wait <= 0) return send();
    // My message just landed, which cleared me from everyone's indicator, and I am typing the
    // next one: say so as soon as the server will pass it on, not only at the next keystroke.
    if (sentMessage.current && !delayed.current) delayed.current = setTimeout(send, wait + SLACK_MS);
  }, [send]);

  // After a send, the next keystroke starts a new "typing" (as Discord does), within the server's limit.
  const resetTyping = useCallback(() => {
    sentMessage.current = true;
    clearTimeout(delayed.current);
    delayed.current = undefined;
  }, []);

  useEffect(() => () => clearTimeout(delayed.current), [channelId]);

  return { notifyTyping, resetTyping };
}
