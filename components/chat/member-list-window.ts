// The arithmetic of the member list. Every row (group header or member) has one fixed height,
// so where a row sits and which rows a scroll position shows need no measuring: unlike the
// message list (virtual-window.ts, rows of varying height found by binary search over offsets),
// a 10,000-row list costs nothing to place.
import {
  MAX_MEMBER_LIST_RANGES, MEMBER_LIST_BLOCK, type MemberGroup, type MemberGroupId, type RowRange,
} from "../../lib/domain/member-list/types";

export const MEMBER_ROW_HEIGHT = 44;

/** Rows [start, end) to render for a viewport from `scrollTop`, with `overscan` rows either side. */
export function rowsInView(scrollTop: number, viewportHeight: number, rowCount: number, overscan = 8): [number, number] {
  if (rowCount <= 0) return [0, 0];
  const first = Math.floor(Math.max(0, scrollTop) / MEMBER_ROW_HEIGHT);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / MEMBER_ROW_HEIGHT);
  return [Math.min(rowCount, Math.max(0, first - overscan)), Math.min(rowCount, last + overscan)];
}

/**
 * The ranges to watch while `topRow` is the first row in view: its 100-row block and the next
 * one. A viewport shows far fewer than 100 rows, so these two always cover it and whatever a
 * short scroll down brings; a block past the end of the list is still worth holding, since a
 * join or a status change can grow the list into it. Whole blocks: the protocol's unit.
 */
export function rangesToWatch(topRow: number): RowRange[] {
  const start = Math.floor(Math.max(0, topRow) / MEMBER_LIST_BLOCK) * MEMBER_LIST_BLOCK;
  const ranges: RowRange[] = [
    [start, start + MEMBER_LIST_BLOCK - 1],
    [start + MEMBER_LIST_BLOCK, start + 2 * MEMBER_LIST_BLOCK - 1],
  ];
  return ranges.slice(0, MAX_MEMBER_LIST_RANGES);
}

export function inRanges(ranges: readonly RowRange[], index: number): boolean {
  return ranges.some(([start, end]) => start <= index && index <= end);
}

export function sameRanges(a: readonly RowRange[], b: readonly RowRange[]): boolean {
  return a.length === b.length && a.every(([start, end], i) => start === b[i]![0] && end === b[i]![1]);
}

/**
 * Which group row `index` belongs to and whether it is that group's header, from the counts
 * alone: each group is its header then `count` member rows, in order. So headers are drawn from
 * `groups` (always current) and a row not loaded yet still sits under the right header.
 */
export function placeOfRow(groups: readonly MemberGroup[], index: number): { group: MemberGroup; header: boolean } | undefined {
  let first = 0;
  for (const group of groups) {
    const next = first + 1 + group.count;
    if (index < next) return index >= first ? { group, header: index === first } : undefined;
    first = next;
  }
  return undefined;
}

export const GROUP_TITLE: Record<MemberGroupId, string> = { online: "Online", offline: "Offline" };

/** "Members, 1,200: 12 online, 1,188 offline": what the list says it holds, for screen readers. */
export function describeList(memberCount: number, onlineCount: number): string {
  const n = (value: number) => value.toLocaleString("en-US");
  return `Members, ${n(memberCount)}: ${n(onlineCount)} online, ${n(memberCount - onlineCount)} offline`;
}
