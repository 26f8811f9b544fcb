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
  /** What I picked; the server does not echo my own presence back to me. */
  myChosenStatus: ChosenStatus;
  /** True once I picked a status in this tab: server snapshots must not override it. */
  myStatusPicked: boolean;
  beginLoad(serverId: Snowflake): void;
  loadFailed(serverId: Snowflake): void;
  setMembers(serverId: Snowflake, members: Member[]): void;
  addMember(serverId: Snowflake, member: Member): void;
  removeMember(serverId: Snowflake, userId: Snowflake): void;
  setPresence(userId: Snowflake, status: PresenceStatus): void;
  setMyChosenStatus(userId: Snowflake, status: ChosenStatus): void;
  /** Reconciles my entry in a fresh member snapshot with what this tab knows about me. */
  adoptMySnapshot(userId: Snowflake, snapshot: PresenceStatus): void;
  markAllStale(): void;
}

export const useMembersStore = create<MembersState>()((set) => ({
  byServer: {},
  presence: {},
  myChosenStatus: "online",
  myStatusPicked: false,

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
      myStatusPicked: true,
      presence: { ...state.presence, [userId]: shownStatus(status) },
    })),

  adoptMySnapshot: (userId, snapshot) =>
    set((state) => {
      // idle / dnd chosen in an earlier visit are remembered by the server: show them. An
      // "offline" snapshot is ambiguous (invisible, or taken before our socket counted).
      const adopt = !state.myStatusPicked && (snapshot === "idle" || snapshot === "dnd");
      const chosen = adopt ? snapshot : state.myChosenStatus;
      return { myChosenStatus: chosen, presence: { ...state.presence, [userId]: shownStatus(chosen) } };
    }),

  markAllStale: () =>
    set((state) => ({
      byServer: Object.fromEntries(Object.entries(state.byServer).map(([id, s]) => [id, { ...s, stale: true }])),
    })),
}));

function shownStatus(status: ChosenStatus): PresenceStatus {
  return status === "invisible" ? "offline" : status;
}
