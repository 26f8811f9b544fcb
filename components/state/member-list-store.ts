// The member lists this client watches (contract v2, `members:subscribe` / `members:list`):
// per server, a copy of the rows kept by the reference MemberListCopy, the ranges the server
// keeps up to date for this connection, and the rows the screen wants watched. Only rows inside
// the held ranges are meaningful (docs/api.md): the rest may be stale, so they read as unknown.
import { create } from "zustand";
import { MemberListCopy } from "../../lib/domain/member-list/client-copy";
import type { MemberGroup, MemberListItem, MemberListUpdate, RowRange } from "../../lib/domain/member-list/types";
import type { Snowflake } from "../../lib/ids/snowflake";
import { inRanges, sameRanges } from "../chat/member-list-window";

export interface ServerMemberList {
  /** A snapshot of the copy's rows (sparse: a hole is a row not known). */
  rows: ReadonlyArray<MemberListItem | undefined>;
  memberCount: number;
  onlineCount: number;
  groups: MemberGroup[];
  /** The ranges the server keeps current for this connection (its last acked subscribe). */
  held: RowRange[];
}

export interface WantedRows {
  serverId: Snowflake;
  ranges: RowRange[];
}

interface MemberListState {
  byServer: Record<Snowflake, ServerMemberList>;
  /** What the member list on screen wants watched; the gateway subscribes to exactly this. */
  wanted: WantedRows | null;
  want(serverId: Snowflake, ranges: RowRange[]): void;
  /** The list of `serverId` left the screen. */
  unwant(serverId: Snowflake): void;
  apply(update: MemberListUpdate): void;
  /** A subscribe is on its way: rows outside both the held and the coming ranges are forgotten. */
  subscribing(serverId: Snowflake, ranges: RowRange[]): void;
  /** The server acked: from now on it keeps `ranges` current (none: it stopped watching). */
  held(serverId: Snowflake, ranges: RowRange[]): void;
}

/** The copies, mutated in place as ops arrive; the state holds snapshots of them. */
const copies = new Map<Snowflake, MemberListCopy>();

function copyOf(serverId: Snowflake): MemberListCopy {
  let copy = copies.get(serverId);
  if (!copy) copies.set(serverId, (copy = new MemberListCopy()));
  return copy;
}

/** Forgets every row of `copy` outside `keep` (through the copy's own INVALIDATE). */
function forgetOutside(copy: MemberListCopy, keep: readonly RowRange[]): void {
  const ops: MemberListUpdate["ops"] = [];
  for (let start = 0; start < copy.rows.length; start++) {
    if (inRanges(keep, start)) continue;
    let end = start;
    while (end + 1 < copy.rows.length && !inRanges(keep, end + 1)) end++;
    ops.push({ op: "INVALIDATE", range: [start, end] });
    start = end;
  }
  if (ops.length > 0) copy.apply({ serverId: "", memberCount: copy.memberCount, onlineCount: copy.onlineCount, groups: copy.groups, ops });
}

function snapshot(copy: MemberListCopy, held: RowRange[]): ServerMemberList {
  return { rows: copy.rows.slice(), memberCount: copy.memberCount, onlineCount: copy.onlineCount, groups: copy.groups, held };
}

export const useMemberListStore = create<MemberListState>()((set, get) => ({
  byServer: {},
  wanted: null,

  want: (serverId, ranges) => {
    const wanted = get().wanted;
    if (wanted?.serverId === serverId && sameRanges(wanted.ranges, ranges)) return;
    set({ wanted: { serverId, ranges } });
  },

  unwant: (serverId) => {
    if (get().wanted?.serverId === serverId) set({ wanted: null });
  },

  apply: (update) => {
    const copy = copyOf(update.serverId);
    copy.apply(update);
    set((state) => ({
      byServer: { ...state.byServer, [update.serverId]: snapshot(copy, state.byServer[update.serverId]?.held ?? []) },
    }));
  },

  subscribing: (serverId, ranges) => {
    const copy = copyOf(serverId);
    const held = get().byServer[serverId]?.held ?? [];
    forgetOutside(copy, [...held, ...ranges]);
    set((state) => ({ byServer: { ...state.byServer, [serverId]: snapshot(copy, held) } }));
  },

  held: (serverId, ranges) => {
    const copy = copyOf(serverId);
    // Ops for the old ranges may still have landed before this ack; they are no longer kept current.
    forgetOutside(copy, ranges);
    set((state) => ({ byServer: { ...state.byServer, [serverId]: snapshot(copy, ranges) } }));
  },
}));

/** Row `index` as far as it can be trusted: undefined when unknown or outside the held ranges. */
export function trustedRow(list: ServerMemberList | undefined, index: number): MemberListItem | undefined {
  if (!list || !inRanges(list.held, index)) return undefined;
  return list.rows[index];
}

/** Tests start from nothing. */
export function resetMemberLists(): void {
  copies.clear();
  useMemberListStore.setState({ byServer: {}, wanted: null });
}
