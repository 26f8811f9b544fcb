// Unread state per channel: where I stopped reading (shared by all my devices through the
// server) and the newest message the channel has. A channel is unread when the latter is newer.
import { create } from "zustand";
import type { Server } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { compareIds } from "../lib/snowflake-order";

export interface ChannelReadState {
  lastReadId: Snowflake | null;
  lastMessageId: Snowflake | null;
}

interface ReadStateState {
  byChannel: Record<Snowflake, ChannelReadState>;
  /** True once the server's view arrived: a channel missing from it has nothing unread. */
  loaded: boolean;
  /** Replaces everything with the server's view (after connecting and after each reconnect). */
  setAll(list: Array<{ channelId: Snowflake } & ChannelReadState>): void;
  /** A message arrived; my own messages count as read where I wrote them. */
  noteMessage(channelId: Snowflake, messageId: Snowflake, mine: boolean): void;
  /** Moves my marker forward (never back), from this tab or from `read-state:update`. */
  markRead(channelId: Snowflake, lastReadId: Snowflake): void;
}

const newer = (a: Snowflake | null | undefined, b: Snowflake | null | undefined): Snowflake | null =>
  !a ? (b ?? null) : !b ? a : compareIds(a, b) >= 0 ? a : b;

export const useReadStateStore = create<ReadStateState>()((set) => ({
  byChannel: {},
  loaded: false,

  setAll: (list) =>
    set((state) => ({
      loaded: true,
      // Keep what this tab learned meanwhile (a newer marker or message) over an older answer.
      byChannel: Object.fromEntries(
        list.map(({ channelId, lastReadId, lastMessageId }) => {
          const known = state.byChannel[channelId];
          return [channelId, { lastReadId: newer(lastReadId, known?.lastReadId), lastMessageId: newer(lastMessageId, known?.lastMessageId) }];
        }),
      ),
    })),

  noteMessage: (channelId, messageId, mine) =>
    set((state) => {
      const known = state.byChannel[channelId] ?? { lastReadId: null, lastMessageId: null };
      const next = { lastMessageId: newer(known.lastMessageId, messageId), lastReadId: mine ? newer(known.lastReadId, messageId) : known.lastReadId };
      if (next.lastMessageId === known.lastMessageId && next.lastReadId === known.lastReadId) return {};
      return { byChannel: { ...state.byChannel, [channelId]: next } };
    }),

  markRead: (channelId, lastReadId) =>
    set((state) => {
      const known = state.byChannel[channelId] ?? { lastReadId: null, lastMessageId: lastReadId };
      const next = newer(known.lastReadId, lastReadId);
      if (next === known.lastReadId) return {};
      return { byChannel: { ...state.byChannel, [channelId]: { ...known, lastReadId: next } } };
    }),
}));

export function isUnread(entry: ChannelReadState | undefined): boolean {
  if (!entry?.lastMessageId) return false;
  return !entry.lastReadId || compareIds(entry.lastMessageId, entry.lastReadId) > 0;
}

export function serverHasUnread(server: Server, byChannel: Record<Snowflake, ChannelReadState>): boolean {
  return server.channels.some((c) => isUnread(byChannel[c.id]));
}
