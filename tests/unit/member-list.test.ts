// The member list's rows and ops, without any transport: random changes against the obvious
// model, and random subscribers whose copies must stay equal to a fresh SYNC after every change.
import { describe, expect, test } from "vitest";
import { MemberListCopy } from "../../lib/domain/member-list/client-copy";
import { applyToRows } from "../../lib/domain/member-list/member-rows";
import { opsForEdit, syncOps } from "../../lib/domain/member-list/project-ops";
import { SortedMemberList } from "../../lib/domain/member-list/sorted-member-list";
import type { MemberListUpdate, RowRange } from "../../lib/domain/member-list/types";
import type { Member } from "../../lib/domain/types";
import { expectedRows, prng, randomChange, randomMember, randomRanges } from "../support/member-list-model";

function updateOf(list: SortedMemberList, ops: MemberListUpdate["ops"]): MemberListUpdate {
  return { serverId: "1", memberCount: list.memberCount, onlineCount: list.onlineCount, groups: list.groups(), ops };
}

describe("SortedMemberList", () => {
  test("rows are the online group then the offline group, each a header and its members by name (case-insensitive), then id", () => {
    const m = (id: string, displayName: string, status: Member["status"]): Member => ({ user: { id, username: `u${id}`, displayName }, joinedAt: "2026-01-01T00:00:00.000Z", status });
    const list = new SortedMemberList([m("3", "bob", "online"), m("10", "Ada", "idle"), m("2", "ada", "dnd"), m("4", "carl", "offline")]);
    expect(list.rows(0, 99)).toEqual([
      { group: { id: "online", count: 3 } },
      { member: m("2", "ada", "dnd") },
      { member: m("10", "Ada", "idle") },
      { member: m("3", "bob", "online") },
      { group: { id: "offline", count: 1 } },
      { member: m("4", "carl", "offline") },
    ]);
    expect(list.groups()).toEqual([{ id: "online", count: 3 }, { id: "offline", count: 1 }]);
    expect(list.indexOf("3")).toBe(3);
  });

  test("a group without members has no header row", () => {
    const list = new SortedMemberList([{ user: { id: "1", username: "a", displayName: "a" }, joinedAt: "x", status: "offline" }]);
    expect(list.length).toBe(2);
    expect(list.groups()).toEqual([{ id: "offline", count: 1 }]);
    expect(list.rowAt(0)).toEqual({ group: { id: "offline", count: 1 } });
  });

  test.each([1, 2, 3, 4])("random changes keep the rows equal to sorting everything again (seed %i)", (seed) => {
    const random = prng(seed);
    let id = 1;
    const truth = new Map<string, Member>();
    for (let i = 0; i < 300; i++) {
      const m = randomMember(random, id++);
      truth.set(m.user.id, m);
    }
    const list = new SortedMemberList([...truth.values()]);
    for (let step = 0; step < 700; step++) {
      const change = randomChange(random, truth, () => id++);
      applyToRows(truth, change);
      // Each edit must describe the list exactly as it is once the edit is made.
      let shadow = expectedRowsOf(list);
      list.apply(change, (edit) => {
        if (edit.kind === "insert") shadow.splice(edit.index, 0, edit.item);
        else if (edit.kind === "delete") shadow.splice(edit.index, 1);
        else shadow[edit.index] = edit.item;
        expect(shadow).toEqual(list.rows(0, list.length));
      });
      shadow = expectedRows(truth.values());
      expect(list.rows(0, list.length)).toEqual(shadow);
      expect(list.length).toBe(shadow.length);
    }
  });

  test.each([11, 12, 13, 14])("subscribers applying the ops stay equal to a fresh SYNC of their ranges (seed %i)", (seed) => {
    const random = prng(seed);
    let id = 1;
    const truth = new Map<string, Member>();
    for (let i = 0; i < 250; i++) {
      const m = randomMember(random, id++);
      truth.set(m.user.id, m);
    }
    const list = new SortedMemberList([...truth.values()]);
    const subscribers = Array.from({ length: 12 }, () => ({ ranges: randomRanges(random, 4), copy: new MemberListCopy() }));
    for (const s of subscribers) s.copy.apply(updateOf(list, syncOps(s.ranges, list)));
    for (let step = 0; step < 700; step++) {
      const change = randomChange(random, truth, () => id++);
      applyToRows(truth, change);
      const batches = subscribers.map(() => [] as MemberListUpdate["ops"]);
      list.apply(change, (edit) => subscribers.forEach((s, i) => batches[i]!.push(...opsForEdit(s.ranges, edit, list))));
      subscribers.forEach((s, i) => {
        s.copy.apply(updateOf(list, batches[i]!));
        // A new subscribe replaces the ranges and starts with their SYNC.
        if (random() < 0.02) {
          s.ranges = randomRanges(random, 4) as RowRange[];
          s.copy.apply(updateOf(list, syncOps(s.ranges, list)));
        }
        for (const [start, end] of s.ranges) expect(s.copy.slice(start, end)).toEqual(list.rows(start, end));
      });
    }
  });
});

function expectedRowsOf(list: SortedMemberList) {
  return list.rows(0, list.length);
}
