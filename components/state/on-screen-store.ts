// What is on screen right now: the open channel (later also an open DM). The gateway focuses
// exactly these (components/gateway/focus.ts), so their messages arrive in full and every
// other channel only signals activity.
import { create } from "zustand";
import type { Snowflake } from "../../lib/ids/snowflake";

interface OnScreenState {
  /** Each channel on screen once, in the order they were first shown. */
  channelIds: Snowflake[];
  /** How many views show each of them: one unmounting does not hide what another still shows. */
  views: Record<Snowflake, number>;
  show(channelId: Snowflake): void;
  hide(channelId: Snowflake): void;
}

export const useOnScreenStore = create<OnScreenState>()((set) => ({
  channelIds: [],
  views: {},
  show: (channelId) =>
    set((s) => ({
      views: { ...s.views, [channelId]: (s.views[channelId] ?? 0) + 1 },
      channelIds: s.channelIds.includes(channelId) ? s.channelIds : [...s.channelIds, channelId],
    })),
  hide: (channelId) =>
    set((s) => {
      const left = (s.views[channelId] ?? 1) - 1;
      if (left > 0) return { views: { ...s.views, [channelId]: left } };
      const { [channelId]: _gone, ...views } = s.views;
      return { views, channelIds: s.channelIds.filter((id) => id !== channelId) };
    }),
}));
