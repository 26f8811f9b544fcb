// The member list of contract v2 as clients see it, and the changes that move it.
import type { Member, PresenceStatus, User } from "../types";
import type { Snowflake } from "../../ids/snowflake";

export type MemberGroupId = "online" | "offline";

export interface MemberGroup {
  id: MemberGroupId;
  count: number;
}

/** One row: a group header or a member. */
export type MemberListItem = { group: MemberGroup } | { member: Member };

/** Rows `start..end`, both included. */
export type RowRange = [start: number, end: number];

export type MemberListOp =
  | { op: "SYNC"; range: RowRange; items: MemberListItem[] }
  | { op: "INSERT" | "UPDATE"; index: number; item: MemberListItem }
  | { op: "DELETE"; index: number }
  | { op: "INVALIDATE"; range: RowRange };

/** The `members:list` event. `groups` lists the groups that have members, in row order. */
export interface MemberListUpdate {
  serverId: Snowflake;
  memberCount: number;
  onlineCount: number;
  groups: MemberGroup[];
  ops: MemberListOp[];
}

/**
 * What happened to a member. Every change states the new value (not a difference), so
 * applying one twice, or replaying changes already reflected in a snapshot, is harmless.
 */
export type MemberListChange =
  /** Joined (or the whole row restated): the row as given. */
  | { type: "join"; member: Member }
  /** The user's profile changed (display name): status and joinedAt stay. */
  | { type: "profile"; user: User }
  /** `at`: the presence store's time of the change (PresenceTransition.at). */
  | { type: "status"; userId: Snowflake; status: PresenceStatus; at?: number }
  | { type: "leave"; userId: Snowflake };

/** A change of one server's list, as the store sequences it. */
export interface SequencedChange {
  serverId: Snowflake;
  /** Identifies one life of the kept list: a list rebuilt (e.g. after Redis lost it) has a new epoch. */
  epoch: string;
  /** 1, 2, 3 ... within an epoch, with no gaps. */
  seq: number;
  change: MemberListChange;
}

/** One server's whole list at a point of its sequence. */
export interface MemberListSnapshot {
  epoch: string;
  seq: number;
  members: Member[];
}

/** A server is large above this many members (contract v2), counted when the event happens. */
export const LARGE_SERVER_MEMBERS = 250;
export const isLargeServer = (memberCount: number) => memberCount > LARGE_SERVER_MEMBERS;

/** Subscribed ranges lie within one block of this many rows each. */
export const MEMBER_LIST_BLOCK = 100;
export const MAX_MEMBER_LIST_RANGES = 3;
