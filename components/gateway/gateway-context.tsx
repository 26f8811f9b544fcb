"use client";
// Components emit through these actions instead of touching the socket, so use-gateway
// stays the one place that owns the connection.
import { createContext, useContext } from "react";
import type { ChosenStatus, Message } from "../../lib/domain/types";
import type { Ack } from "../../lib/gateway-events";
import type { Snowflake } from "../../lib/ids/snowflake";

export interface GatewayActions {
  /** Resolves with the server's ack, or a synthetic UNAVAILABLE failure on timeout. Never rejects. */
  sendMessage(payload: { channelId: Snowflake; content: string; nonce: string }): Promise<Ack<{ message: Message }>>;
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
