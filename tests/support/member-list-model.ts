// What a member list must look like, worked out the slow, obvious way (sort everything), and a
// seeded stream of random changes to throw at the real ones.
import type { Member, PresenceStatus } from "../../lib/domain/types";
import type { MemberListChange, MemberListItem, RowRange } from "../../lib/domain/member-list/types";
import { MEMBER_LIST_BLOCK } from "../../lib/domain/member-list/types";

export function expectedRows(members: Iterable<Member>): MemberListItem[] {
  const byName = (a: Member, b: Member) => {
    const [x, y] = [a.user.displayName.toLowerCase(), b.user.displayName.toLowerCase()];
    if (x !== y) return x < y ? -1 : 1;
    return BigInt(a.user.id) < BigInt(b.user.id) ? -1 : BigInt(a.user.id) > BigInt(b.user.id) ? 1 : 0;
  };
  const all = [...members];
  const rows: MemberListItem[] = [];
  for (const id of ["online", "offline"] as const) {
    const group = all.filter((m) => (m.status === "offline" ? "offline" : "online") === id).sort(byName);
    if (group.length === 0) continue;
    rows.push({ group: { id, count: group.length } });
    for (const member of group) rows.push({ member });
  }
  return rows;
}

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES: PresenceStatus[] = ["online", "idle", "dnd", "offline"];
// Few names, mixed case, so that ties (same name, different case or id) are common.
const NAMES = ["ada", "Ada", "bob", "BOB", "carol", "dave", "Éve", "zed", "Zoë", "mallory"];

export function randomMember(random: () => number, id: number): Member {
  const name = NAMES[Math.floor(random() * NAMES.length)]!;
  return {
    user: { id: String(id), username: `u${id}`, displayName: name },
    joinedAt: new Date(1_700_000_000_000 + id * 1000).toISOString(),
    status: STATUSES[Math.floor(random() * STATUSES.length)]!,
  };
}

/** A random change against the current rows: joins, leaves, status and name changes (and some that change nothing). */
export function randomChange(random: () => number, current: Map<string, Member>, nextId: () => number): MemberListChange {
  const ids = [...current.keys()];
  const pick = () => ids[Math.floor(random() * ids.length)]!;
  const r = random();
  if (ids.length === 0 || r < 0.2) return { type: "join", member: randomMember(random, nextId()) };
  if (r < 0.35) return { type: "leave", userId: pick() };
  if (r < 0.8) return { type: "status", userId: pick(), status: STATUSES[Math.floor(random() * STATUSES.length)]! };
  const userId = pick();
  const user = current.get(userId)!.user;
  return { type: "profile", user: { ...user, displayName: NAMES[Math.floor(random() * NAMES.length)]! } };
}

/** 1–3 random block-aligned ranges, as `members:subscribe` accepts them. */
export function randomRanges(random: () => number, blocks: number): RowRange[] {
  const count = 1 + Math.floor(random() * 3);
  return Array.from({ length: count }, () => {
    const start = Math.floor(random() * blocks) * MEMBER_LIST_BLOCK;
    const end = random() < 0.5 ? start + MEMBER_LIST_BLOCK - 1 : start + Math.floor(random() * MEMBER_LIST_BLOCK);
    return [start, end];
  }) as RowRange[];
}
