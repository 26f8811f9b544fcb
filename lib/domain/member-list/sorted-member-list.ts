// One server's member list in row order (contract v2): the online group (any status but
// offline), then the offline group; each a header row followed by its members sorted by display
// name, case-insensitively, then by id. A group without members has no header. Changes are
// applied as a sequence of single-row edits, each reported while the list is exactly in the
// state it describes, so that the ops for each subscriber can be worked out from the list itself.
import type { Member } from "../types";
import type { Snowflake } from "../../ids/snowflake";
import { ChunkedSortedList } from "./chunked-sorted-list";
import type { MemberGroup, MemberGroupId, MemberListChange, MemberListItem } from "./types";

export type RowEdit =
  | { kind: "insert"; index: number; item: MemberListItem }
  | { kind: "delete"; index: number }
  | { kind: "update"; index: number; item: MemberListItem };

interface Entry {
  member: Member;
  /** The display name, lower-cased once. */
  key: string;
}

interface Group {
  id: MemberGroupId;
  entries: ChunkedSortedList<Entry>;
  /** The header as rows show it: it trails the entries by one edit while a change is applied. */
  header?: { count: number };
}

const compareIds = (a: Snowflake, b: Snowflake) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);
const compareEntries = (a: Entry, b: Entry) => (a.key < b.key ? -1 : a.key > b.key ? 1 : compareIds(a.member.user.id, b.member.user.id));
const entryOf = (member: Member): Entry => ({ member, key: member.user.displayName.toLowerCase() });
const groupOf = (member: Member): MemberGroupId => (member.status === "offline" ? "offline" : "online");

export class SortedMemberList {
  private readonly byId = new Map<Snowflake, Entry>();
  private readonly online: Group;
  private readonly offline: Group;

  constructor(members: Member[] = []) {
    const entries = members.map(entryOf);
    for (const e of entries) this.byId.set(e.member.user.id, e);
    const make = (id: MemberGroupId): Group => {
      const list = ChunkedSortedList.of(
        entries.filter((e) => groupOf(e.member) === id),
        compareEntries,
      );
      return { id, entries: list, header: list.size > 0 ? { count: list.size } : undefined };
    };
    this.online = make("online");
    this.offline = make("offline");
  }

  get memberCount(): number {
    return this.byId.size;
  }

  get onlineCount(): number {
    return this.online.entries.size;
  }

  /** Rows: headers and members. */
  get length(): number {
    return this.rowsOf(this.online) + this.rowsOf(this.offline);
  }

  groups(): MemberGroup[] {
    return [this.online, this.offline].filter((g) => g.header).map((g) => ({ id: g.id, count: g.header!.count }));
  }

  member(userId: Snowflake): Member | undefined {
    return this.byId.get(userId)?.member;
  }

  members(): Member[] {
    return [...this.byId.values()].map((e) => e.member);
  }

  /** The row index of a member, or -1. */
  indexOf(userId: Snowflake): number {
    const entry = this.byId.get(userId);
    if (!entry) return -1;
    const group = this.groupFor(entry.member);
    return this.headerIndex(group) + 1 + group.entries.indexOf(entry);
  }

  rowAt(index: number): MemberListItem | undefined {
    for (const group of [this.online, this.offline]) {
      const rows = this.rowsOf(group);
      if (index < rows) return index === 0 ? { group: { id: group.id, count: group.header!.count } } : { member: group.entries.at(index - 1)!.member };
      index -= rows;
    }
    return undefined;
  }

  /** Rows start..end (inclusive), clipped to the list. */
  rows(start: number, end: number): MemberListItem[] {
    const out: MemberListItem[] = [];
    let offset = 0;
    for (const group of [this.online, this.offline]) {
      const rows = this.rowsOf(group);
      if (rows > 0 && start <= offset + rows - 1 && end >= offset) {
        if (start <= offset) out.push({ group: { id: group.id, count: group.header!.count } });
        const from = Math.max(start - offset - 1, 0);
        for (const e of group.entries.slice(from, end - offset - 1)) out.push({ member: e.member });
      }
      offset += rows;
    }
    return out;
  }

  /**
   * Applies a change as single-row edits; `onEdit` sees each one right after it is made.
   * Returns the member's row index before and after (-1 when absent).
   */
  apply(change: MemberListChange, onEdit: (edit: RowEdit) => void = () => {}): { before: number; after: number } {
    const userId = change.type === "join" ? change.member.user.id : change.type === "profile" ? change.user.id : change.userId;
    const current = this.byId.get(userId)?.member;
    const next = nextRow(change, current);
    const before = this.indexOf(userId);
    if (next === current) return { before, after: before };
    if (current && next && groupOf(current) === groupOf(next) && current.user.displayName.toLowerCase() === next.user.displayName.toLowerCase()) {
      const entry = entryOf(next);
      this.byId.set(userId, entry);
      this.groupFor(next).entries.replace(entry);
      onEdit({ kind: "update", index: before, item: { member: next } });
      return { before, after: before };
    }
    if (current) this.remove(this.byId.get(userId)!, onEdit);
    if (next) this.insert(entryOf(next), onEdit);
    return { before, after: this.indexOf(userId) };
  }

  private remove(entry: Entry, onEdit: (edit: RowEdit) => void) {
    const group = this.groupFor(entry.member);
    const headerAt = this.headerIndex(group);
    const position = group.entries.remove(entry);
    this.byId.delete(entry.member.user.id);
    onEdit({ kind: "delete", index: headerAt + 1 + position });
    if (group.entries.size === 0) {
      group.header = undefined;
      onEdit({ kind: "delete", index: headerAt });
    } else {
      group.header = { count: group.entries.size };
      onEdit({ kind: "update", index: headerAt, item: { group: { id: group.id, count: group.header.count } } });
    }
  }

  private insert(entry: Entry, onEdit: (edit: RowEdit) => void) {
    const group = this.groupFor(entry.member);
    const headerAt = this.headerIndex(group);
    const isNewGroup = !group.header;
    if (isNewGroup) {
      group.header = { count: group.entries.size + 1 };
      onEdit({ kind: "insert", index: headerAt, item: { group: { id: group.id, count: group.header.count } } });
    }
    const position = group.entries.insert(entry);
    this.byId.set(entry.member.user.id, entry);
    onEdit({ kind: "insert", index: headerAt + 1 + position, item: { member: entry.member } });
    if (!isNewGroup) {
      group.header = { count: group.entries.size };
      onEdit({ kind: "update", index: headerAt, item: { group: { id: group.id, count: group.header.count } } });
    }
  }

  private groupFor(member: Member): Group {
    return groupOf(member) === "online" ? this.online : this.offline;
  }

  private headerIndex(group: Group): number {
    return group === this.online ? 0 : this.rowsOf(this.online);
  }

  private rowsOf(group: Group): number {
    return group.header ? group.entries.size + 1 : 0;
  }
}

/** The member's row after `change`: `current` itself when nothing changes, undefined when gone. */
function nextRow(change: MemberListChange, current: Member | undefined): Member | undefined {
  switch (change.type) {
    case "join":
      return current && sameMember(current, change.member) ? current : change.member;
    case "leave":
      return undefined;
    case "status":
      return current && current.status !== change.status ? { ...current, status: change.status } : current;
    case "profile":
      return current && (current.user.displayName !== change.user.displayName || current.user.username !== change.user.username) ? { ...current, user: change.user } : current;
  }
}

function sameMember(a: Member, b: Member): boolean {
  return a.status === b.status && a.joinedAt === b.joinedAt && a.user.displayName === b.user.displayName && a.user.username === b.user.username;
}
