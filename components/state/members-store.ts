// Members seen per server, and presence per user. The member list itself lives in
// member-list-store (only the rows on screen are loaded); this is the by-id cache other parts
// of the UI read names from (typing, ...), filled from every member row and member event that
// arrives. It is not the whole server in a large one: readers fall back when a user is missing.
// Presence is global (one status per person, whichever server you look at).
import { create } from "zustand";
import type { ChosenStatus, Member, PresenceStatus } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";

interface MembersState {
  byServer: Record<Snowflake, Record<Snowflake, Member>>;
  presence: Record<Snowflake, PresenceStatus>;
  /** What I picked (from `ready`, then from my own picks): the server does not echo it to me. */
  myChosenStatus: ChosenStatus;
  /** Members as a member-list row or event showed them (newest wins). */
  remember(serverId: Snowflake, members: Member[]): void;
  removeMember(serverId: Snowflake, userId: Snowflake): void;
  setPresence(userId: Snowflake, status: PresenceStatus): void;
  setMyChosenStatus(userId: Snowflake, status: ChosenStatus): void;
}

export const useMembersStore = create<MembersState>()((set) => ({
  byServer: {},
  presence: {},
  myChosenStatus: "online",

  remember: (serverId, members) =>
    set((state) => {
      if (members.length === 0) return {};
      const known = { ...state.byServer[serverId] };
      const presence = { ...state.presence };
      for (const member of members) {
        known[member.user.id] = member;
        presence[member.user.id] = member.status;
      }
      return { byServer: { ...state.byServer, [serverId]: known }, presence };
    }),

  removeMember: (serverId, userId) =>
    set((state) => {
      const current = state.byServer[serverId];
      if (!current?.[userId]) return {};
      const { [userId]: _removed, ...rest } = current;
      return { byServer: { ...state.byServer, [serverId]: rest } };
    }),

  setPresence: (userId, status) =>
    set((state) => (state.presence[userId] === status ? {} : { presence: { ...state.presence, [userId]: status } })),

  setMyChosenStatus: (userId, status) =>
    set((state) => ({
      myChosenStatus: status,
      presence: { ...state.presence, [userId]: status === "invisible" ? "offline" : status },
    })),
}));
