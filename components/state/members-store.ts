// Members per server and presence per user. Presence is global (one status per person,
// whichever server you look at), so live `presence:update`s land in one map.
import { create } from "zustand";
import type { ChosenStatus, Member, PresenceStatus } from "../../lib/domain/types";
import type { Snowflake } from "../../lib/ids/snowflake";

export interface ServerMembers {
  status: "loading" | "ready" | "error";
  /** Set after a reconnect: joins, leaves and presence changes may have been missed. */
  stale: boolean;
  members: Record<Snowflake, Member>;
}

interface MembersState {
  byServer: Record<Snowflake, ServerMembers>;
  presence: Record<Snowflake, PresenceStatus>;
  /** What I picked (from `ready`, then from my own picks): the server does not echo it to me. */
  myChosenStatus: ChosenStatus;
  beginLoad(serverId: Snowflake): void;
  loadFailed(serverId: Snowflake): void;
  setMembers(serverId: Snowflake, members: Member[]): void;
  addMember(serverId: Snowflake, member: Member): void;
  removeMember(serverId: Snowflake, userId: Snowflake): void;
  setPresence(userId: Snowflake, status: PresenceStatus): void;
  setMyChosenStatus(userId: Snowflake, status: ChosenStatus): void;
  markAllStale(): void;
}

export const useMembersStore = create<MembersState>()((set) => ({
  byServer: {},
  presence: {},
  myChosenStatus: "online",

  beginLoad: (serverId) =>
    set((state) => ({
      byServer: {
        ...state.byServer,
        [serverId]: { members: state.byServer[serverId]?.members ?? {}, status: "loading", stale: false },
      },
    })),

  loadFailed: (serverId) =>
    set((state) => ({
      byServer: {
        ...state.byServer,
        [serverId]: { members: state.byServer[serverId]?.members ?? {}, stale: false, status: "error" },
      },
    })),

  setMembers: (serverId, members) =>
    set((state) => ({
      byServer: {
        ...state.byServer,
        [serverId]: { status: "ready", stale: false, members: Object.fromEntries(members.map((m) => [m.user.id, m])) },
      },
      presence: { ...state.presence, ...Object.fromEntries(members.map((m) => [m.user.id, m.status])) },
    })),

  addMember: (serverId, member) =>
    set((state) => {
      const current = state.byServer[serverId];
      const presence = { ...state.presence, [member.user.id]: member.status };
      // Not loaded yet: the upcoming fetch will include this member anyway.
      if (!current) return { presence };
      return {
        presence,
        byServer: { ...state.byServer, [serverId]: { ...current, members: { ...current.members, [member.user.id]: member } } },
      };
    }),

  removeMember: (serverId, userId) =>
    set((state) => {
      const current = state.byServer[serverId];
      if (!current?.members[userId]) return {};
      const { [userId]: _removed, ...members } = current.members;
      return { byServer: { ...state.byServer, [serverId]: { ...current, members } } };
    }),

  setPresence: (userId, status) =>
    set((state) => (state.presence[userId] === status ? {} : { presence: { ...state.presence, [userId]: status } })),

  setMyChosenStatus: (userId, status) =>
    set((state) => ({
      myChosenStatus: status,
      presence: { ...state.presence, [userId]: shownStatus(status) },
    })),

  markAllStale: () =>
    set((state) => ({
      byServer: Object.fromEntries(Object.entries(state.byServer).map(([id, s]) => [id, { ...s, stale: true }])),
    })),
}));

function shownStatus(status: ChosenStatus): PresenceStatus {
  return status === "invisible" ? "offline" : status;
}
