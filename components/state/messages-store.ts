// Messages per channel: confirmed ones sorted by id, plus my own sends still in flight.
// A confirmed message can reach us twice (ack and `message:create`, in either order) and
// history pages overlap live ones, so everything is upserted by id and reconciled by nonce.
import { create } from "zustand";
import type { Message, User } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { mergeMessages } from "./message-merge";

export interface PendingMessage {
  nonce: string;
  channelId: Snowflake;
  author: User;
  content: string;
  createdAt: string;
  /** queued: waiting for the connection; sending: on the wire or between retries. */
  state: "queued" | "sending" | "failed";
  error?: string;
}

export interface ChannelMessages {
  messages: Message[];
  pending: PendingMessage[];
  status: "idle" | "loading" | "ready" | "error";
  error?: string;
  /** Set after a reconnect: events may have been missed, so fill the gap on next view. */
  stale: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
}

export const EMPTY_CHANNEL: ChannelMessages = Object.freeze({
  messages: [],
  pending: [],
  status: "idle",
  stale: false,
  hasOlder: false,
  loadingOlder: false,
}) as ChannelMessages;

interface MessagesState {
  channels: Record<Snowflake, ChannelMessages>;
  beginLoad(channelId: Snowflake): void;
  loadFailed(channelId: Snowflake, error: string): void;
  /** `page` is newest first, as the API returns it; a full page means more may exist. */
  applyLatest(channelId: Snowflake, page: Message[], limit: number): void;
  beginLoadOlder(channelId: Snowflake): void;
  applyOlder(channelId: Snowflake, page: Message[], limit: number): void;
  loadOlderFailed(channelId: Snowflake): void;
  applyGap(channelId: Snowflake, messages: Message[]): void;
  /** Too much was missed to fill: start again from the newest page (older pages load on scroll). */
  resetToLatest(channelId: Snowflake, page: Message[], limit: number): void;
  markAllStale(): void;
  receive(message: Message): void;
  addPending(pending: PendingMessage): void;
  setPendingState(channelId: Snowflake, nonce: string, state: PendingMessage["state"], error?: string): void;
  removePending(channelId: Snowflake, nonce: string): void;
}

type Patch = (channel: ChannelMessages) => Partial<ChannelMessages>;

export const useMessagesStore = create<MessagesState>()((set) => {
  const update = (channelId: Snowflake, patch: Patch) =>
    set((state) => {
      const current = state.channels[channelId] ?? EMPTY_CHANNEL;
      return { channels: { ...state.channels, [channelId]: { ...current, ...patch(current) } } };
    });

  // Confirmed messages replace the pending copy that carries the same nonce from the same author.
  const withConfirmed = (channel: ChannelMessages, incoming: Message[]): Partial<ChannelMessages> => {
    const confirmedNonces = new Set(incoming.filter((m) => m.nonce).map((m) => `${m.author.id}:${m.nonce}`));
    const pending = channel.pending.filter((p) => !confirmedNonces.has(`${p.author.id}:${p.nonce}`));
    return {
      messages: mergeMessages(channel.messages, incoming),
      pending: pending.length === channel.pending.length ? channel.pending : pending,
    };
  };

  return {
    channels: {},
    beginLoad: (channelId) => update(channelId, () => ({ status: "loading", error: undefined })),
    loadFailed: (channelId, error) => update(channelId, () => ({ status: "error", error })),
    applyLatest: (channelId, page, limit) =>
      update(channelId, (c) => ({ ...withConfirmed(c, page), status: "ready", stale: false, hasOlder: page.length >= limit })),
    beginLoadOlder: (channelId) => update(channelId, () => ({ loadingOlder: true })),
    applyOlder: (channelId, page, limit) =>
      update(channelId, (c) => ({ ...withConfirmed(c, page), loadingOlder: false, hasOlder: page.length >= limit })),
    loadOlderFailed: (channelId) => update(channelId, () => ({ loadingOlder: false })),
    applyGap: (channelId, messages) => update(channelId, (c) => ({ ...withConfirmed(c, messages), stale: false })),
    resetToLatest: (channelId, page, limit) =>
      update(channelId, (c) => ({ ...withConfirmed({ ...c, messages: [] }, page), status: "ready", stale: false, hasOlder: page.length >= limit })),
    markAllStale: () =>
      set((state) => ({
        channels: Object.fromEntries(
          Object.entries(state.channels).map(([id, c]) => [id, { ...c, stale: c.status === "ready", loadingOlder: false }]),
        ),
      })),
    receive: (message) => update(message.channelId, (c) => withConfirmed(c, [message])),
    addPending: (pending) =>
      update(pending.channelId, (c) => (c.pending.some((p) => p.nonce === pending.nonce) ? {} : { pending: [...c.pending, pending] })),
    setPendingState: (channelId, nonce, state, error) =>
      update(channelId, (c) => ({
        pending: c.pending.map((p) => (p.nonce === nonce ? { ...p, state, error } : p)),
      })),
    removePending: (channelId, nonce) => update(channelId, (c) => ({ pending: c.pending.filter((p) => p.nonce !== nonce) })),
  };
});
