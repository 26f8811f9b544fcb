// What one subscriber is sent for one row edit so that its copy of its ranges stays equal to
// the list. The client model (docs/api.md, "Member list"): a sparse array of rows; INSERT and
// DELETE splice it (every later row moves), UPDATE and SYNC overwrite; only rows inside the
// subscribed ranges and below the list's length are meaningful. An insert or delete before or
// inside a range is sent as is (the splice moves the range's rows as the server's moved), and
// a row that slides into a range from outside it (no range holds it) follows as an UPDATE.
import type { RowEdit, SortedMemberList } from "./sorted-member-list";
import type { MemberListOp, RowRange } from "./types";

const inRanges = (ranges: readonly RowRange[], index: number) => ranges.some(([s, e]) => s <= index && index <= e);

/** Whether an edit at `index` changes anything a subscriber of `ranges` holds. */
export function touches(ranges: readonly RowRange[], edit: RowEdit): boolean {
  if (edit.kind === "update") return inRanges(ranges, edit.index);
  return ranges.some(([, e]) => edit.index <= e);
}

/** The ops for one edit; `list` is in the state right after it. */
export function opsForEdit(ranges: readonly RowRange[], edit: RowEdit, list: SortedMemberList): MemberListOp[] {
  if (!touches(ranges, edit)) return [];
  if (edit.kind === "update") return [{ op: "UPDATE", index: edit.index, item: edit.item }];
  const ops: MemberListOp[] = [];
  const length = list.length;
  if (edit.kind === "insert") {
    ops.push({ op: "INSERT", index: edit.index, item: edit.item });
    // Rows after the insert moved down by one: a range's first row came from the row above it.
    for (const [s] of ranges) if (s > edit.index && s < length && !inRanges(ranges, s - 1)) ops.push(fill(list, s));
  } else {
    ops.push({ op: "DELETE", index: edit.index });
    // Rows after the delete moved up by one: a range's last row came from the row below it.
    for (const [, e] of ranges) if (e >= edit.index && e < length && !inRanges(ranges, e + 1)) ops.push(fill(list, e));
  }
  return ops;
}

/** The SYNC of each range, from the list as it stands. */
export function syncOps(ranges: readonly RowRange[], list: SortedMemberList): MemberListOp[] {
  return ranges.map((range) => ({ op: "SYNC", range, items: list.rows(range[0], range[1]) }));
}

function fill(list: SortedMemberList, index: number): MemberListOp {
  return { op: "UPDATE", index, item: list.rowAt(index)! };
}
