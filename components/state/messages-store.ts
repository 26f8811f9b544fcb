// Messages per channel: confirmed ones sorted by id, plus my own sends still in flight.
// A confirmed message can reach us twice (ack and `message:create`, in either order) and
// history pages overlap live ones, so everything is upserted by id and reconciled by nonce.
import { create } from "zustand";
import type { Message, User } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { compareIds } from "../lib/snowflake-order";
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
  /**
   * Live events may have been missed (after a reconnect, or while the connection does not
   * focus this channel): fill the gap on next view, from `gapAfter`.
   */
  stale: boolean;
  /** While stale: everything up to this id is known (no gap before it); "0": nothing is. */
  gapAfter?: Snowflake;
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
  /** One page of a gap fill; `complete` when it was the last (short) page. */
  applyGap(channelId: Snowflake, messages: Message[], complete: boolean): void;
  /** Too much was missed to fill: start again from the newest page (older pages load on scroll). */
  resetToLatest(channelId: Snowflake, page: Message[], limit: number): void;
  markAllStale(): void;
  /** These channels' live events may be missed from now on (they are not focused). */
  markStale(channelIds: Snowflake[]): void;
  receive(message: Message): void;
  addPending(pending: PendingMessage): void;
  setPendingState(channelId: Snowflake, nonce: string, state: PendingMessage["state"], error?: string): void;
  removePending(channelId: Snowflake, nonce: string): void;
}

type Patch = (channel: ChannelMessages) => Partial<ChannelMessages>;

/** The channel marked stale from what it holds now (a stale one keeps the gap it already has). */
function staled(c: ChannelMessages): ChannelMessages {
  if (c.stale) return c;
  return { ...c, stale: true, gapAfter: c.messages[c.messages.length - 1]?.id ?? "0" };
}

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
      update(channelId, (c) => {
        const full = page.length >= limit;
        // Messages older than a full page are fragments heard live earlier, with missed ones
        // between them and the page: keep only what is newer than the page's oldest.
        const oldest = page[page.length - 1]?.id;
        const kept = full && oldest ? { ...c, messages: c.messages.filter((m) => compareIds(m.id, oldest) > 0) } : c;
        // Marked stale while this page was on its way: the gap starts after the page's newest.
        const gap = c.stale ? { stale: true, gapAfter: page[0]?.id ?? c.gapAfter ?? "0" } : { stale: false, gapAfter: undefined };
        return { ...withConfirmed(kept, page), status: "ready", ...gap, hasOlder: full };
      }),
    beginLoadOlder: (channelId) => update(channelId, () => ({ loadingOlder: true })),
    applyOlder: (channelId, page, limit) =>
      update(channelId, (c) => ({ ...withConfirmed(c, page), loadingOlder: false, hasOlder: page.length >= limit })),
    loadOlderFailed: (channelId) => update(channelId, () => ({ loadingOlder: false })),
    applyGap: (channelId, messages, complete) =>
      update(channelId, (c) => ({
        ...withConfirmed(c, messages),
        // Until the last page has landed, a retry resumes after this page's newest (pages come newest first).
        ...(complete ? { stale: false, gapAfter: undefined } : { gapAfter: messages[0]?.id ?? c.gapAfter }),
      })),
    resetToLatest: (channelId, page, limit) =>
      update(channelId, (c) => ({
        ...withConfirmed({ ...c, messages: [] }, page),
        status: "ready",
        stale: false,
        gapAfter: undefined,
        hasOlder: page.length >= limit,
      })),
    markAllStale: () =>
      set((state) => ({
        channels: Object.fromEntries(
          Object.entries(state.channels).map(([id, c]) => [id, { ...(c.status === "ready" ? staled(c) : c), loadingOlder: false }]),
        ),
      })),
    markStale: (channelIds) =>
      set((state) => {
        const changed = channelIds.filter((id) => {
          const c = state.channels[id];
          return c && !c.stale && (c.status === "ready" || c.status === "loading");
        });
        if (changed.length === 0) return {};
        return { channels: { ...state.channels, ...Object.fromEntries(changed.map((id) => [id, staled(state.channels[id]!)])) } };
      }),
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
