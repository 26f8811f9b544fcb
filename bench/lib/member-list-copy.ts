// The watchers' copies of member-list rows, kept with the reference client copy
// (lib/domain/member-list/client-copy.ts). Loaded lazily: a build from before member lists
// has no such module, and the big-server scenario still runs there (watchers then only count
// presence frames).

/** The parts of a `members:list` payload the bench reads. */
export interface ListUpdate {
  memberCount: number;
  groups: Array<{ id: string; count: number }>;
  ops: Array<{ op: string; range?: [number, number] }>;
}

type Row = { group: { id: string; count: number } } | { member: { user: { id: string }; status: string } } | undefined;

export interface CopyLike {
  apply(update: ListUpdate): void;
  slice(start: number, end: number): Row[];
}

export type CopyClass = new () => CopyLike;

export async function loadMemberListCopy(): Promise<CopyClass | undefined> {
  const modulePath = "../../lib/domain/member-list/client-copy";
  try {
    const mod = (await import(modulePath)) as { MemberListCopy?: CopyClass };
    return mod.MemberListCopy;
  } catch {
    return undefined;
  }
}

const keyOf = (row: Row): string =>
  row === undefined ? "?" : "group" in row ? `g:${row.group.id}:${row.group.count}` : `m:${row.member.user.id}:${row.member.status}`;

/** The rows of `ranges` as comparable keys: `g:id:count` for a header, `m:userId:status` for a member, `?` for a hole. */
export function copyKeys(copy: CopyLike, ranges: Array<[number, number]>): string[] {
  return ranges.flatMap(([start, end]) => copy.slice(start, end).map(keyOf));
}

/** The same keys for a fresh copy holding only `sync` (the truth a kept copy must equal). */
export async function syncKeys(sync: ListUpdate, ranges: Array<[number, number]>): Promise<string[]> {
  const Copy = await loadMemberListCopy();
  if (!Copy) return [];
  const fresh = new Copy();
  fresh.apply(sync);
  return copyKeys(fresh, ranges);
}
