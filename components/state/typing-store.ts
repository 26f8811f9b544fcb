// Who is typing where. The gateway only says "started"; an entry lapses on its own after
// TYPING_TTL_MS (clients re-send while typing continues) or when that person's message lands.
import { create } from "zustand";
import type { Snowflake } from "../../lib/ids/snowflake";

export const TYPING_TTL_MS = 8_000;

interface TypingState {
  /** channelId -> userId -> expiry time (ms since epoch). */
  byChannel: Record<Snowflake, Record<Snowflake, number>>;
  startTyping(channelId: Snowflake, userId: Snowflake, now?: number): void;
  stopTyping(channelId: Snowflake, userId: Snowflake): void;
}

export const useTypingStore = create<TypingState>()((set) => ({
  byChannel: {},

  startTyping: (channelId, userId, now = Date.now()) =>
    set((state) => ({
      byChannel: {
        ...state.byChannel,
        [channelId]: { ...state.byChannel[channelId], [userId]: now + TYPING_TTL_MS },
      },
    })),

  stopTyping: (channelId, userId) =>
    set((state) => {
      const channel = state.byChannel[channelId];
      if (!channel || !(userId in channel)) return {};
      const { [userId]: _stopped, ...rest } = channel;
      return { byChannel: { ...state.byChannel, [channelId]: rest } };
    }),
}));

/** User ids still typing at `now`, oldest start first. */
export function activeTypists(entries: Record<Snowflake, number> | undefined, now: number): Snowflake[] {
  if (!entries) return [];
  return Object.entries(entries)
    .filter(([, expiresAt]) => expiresAt > now)
    .sort((a, b) => a[1] - b[1])
    .map(([userId]) => userId);
}
