// A client's copy of a member list, kept by applying `members:list` ops in order (the model
// docs/api.md describes; the web client and the tests both use it). Rows outside the
// subscribed ranges may be stale or missing: only the ranges are meaningful.
import type { MemberListItem, MemberListUpdate } from "./types";

export class MemberListCopy {
  /** Sparse: a hole is a row this copy does not know. */
  rows: Array<MemberListItem | undefined> = [];
  memberCount = 0;
  onlineCount = 0;
  groups: MemberListUpdate["groups"] = [];

  apply(update: MemberListUpdate): void {
    for (const op of update.ops) {
      switch (op.op) {
        case "SYNC":
          for (let i = op.range[0]; i <= op.range[1]; i++) this.rows[i] = op.items[i - op.range[0]];
          break;
        case "INSERT":
          if (this.rows.length < op.index) this.rows.length = op.index;
          this.rows.splice(op.index, 0, op.item);
          break;
        case "UPDATE":
          this.rows[op.index] = op.item;
          break;
        case "DELETE":
          if (op.index < this.rows.length) this.rows.splice(op.index, 1);
          break;
        case "INVALIDATE":
          for (let i = op.range[0]; i <= op.range[1] && i < this.rows.length; i++) this.rows[i] = undefined;
          break;
      }
    }
    this.memberCount = update.memberCount;
    this.onlineCount = update.onlineCount;
    this.groups = update.groups;
    // Rows past the end of the list are not part of it.
    const length = update.groups.length + update.memberCount;
    if (this.rows.length > length) this.rows.length = length;
  }

  /** Rows start..end as this copy holds them, clipped to the list's length. */
  slice(start: number, end: number): Array<MemberListItem | undefined> {
    const out: Array<MemberListItem | undefined> = [];
    const last = Math.min(end, this.groups.length + this.memberCount - 1);
    for (let i = start; i <= last; i++) out.push(this.rows[i]);
    return out;
  }
}
