"use client";
// Components act through these instead of touching the socket, so use-gateway stays the one
// place that owns the connection (and the outbox that sends through it).
import { createContext, useContext } from "react";
import type { ChosenStatus } from "../../lib/domain/types";
import type { Ack } from "../../lib/gateway-events";
import type { Snowflake } from "../../lib/ids/snowflake";

export interface GatewayActions {
  /** Shows the message as pending at once and delivers it, whatever the connection does. */
  sendMessage(channelId: Snowflake, content: string): void;
  /** Puts a failed message back in line, with the same nonce. */
  retryMessage(channelId: Snowflake, nonce: string): void;
  /** Drops a failed message that the person gave up on. */
  deleteMessage(channelId: Snowflake, nonce: string): void;
  /** Resolves with the server's ack, or a synthetic UNAVAILABLE failure on timeout. Never rejects. */
  setPresence(status: ChosenStatus): Promise<Ack>;
  /** Fire and forget: a lost typing signal is harmless. */
  startTyping(channelId: Snowflake): void;
}

const GatewayContext = createContext<GatewayActions | null>(null);

export const GatewayProvider = GatewayContext.Provider;

export function useGatewayActions(): GatewayActions {
  const actions = useContext(GatewayContext);
  if (!actions) throw new Error("useGatewayActions must be used inside <GatewayProvider> (the chat shell).");
  return actions;
}
