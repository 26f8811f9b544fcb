// The hub under interleavings the contract suite does not make: subscribes that are not
// awaited, loads that take a random while, changes that land while a list loads, flushes at
// random moments, 0–3 ranges (overlapping and repeated too). After every flush the node's copy
// must equal the truth and every subscriber's rows the node's copy. On the in-memory store,
// whose changes arrive within the publishing call (the tightest timing there is).
import { expect, test } from "vitest";
import { MemoryMemberListStore } from "../../lib/adapters/memory/member-list-store";
import { MemberListCopy } from "../../lib/domain/member-list/client-copy";
import { applyToRows } from "../../lib/domain/member-list/member-rows";
import type { MemberListChange, MemberListUpdate, RowRange } from "../../lib/domain/member-list/types";
import type { Member } from "../../lib/domain/types";
import { MemberListHub } from "../../server/member-lists/member-list-hub";
import { expectedRows, prng, randomChange, randomMember } from "../support/member-list-model";
import { silentLog } from "../contract/redis";

async function run(seed: number, initial: number, steps: number) {
  const random = prng(seed);
  let id = 1;
  const truth = new Map<string, Member>();
  for (let i = 0; i < initial; i++) {
    const m = randomMember(random, id++);
    truth.set(m.user.id, m);
  }
  // The subscribers are members who never leave.
  const subs = Array.from({ length: 10 }, (_, i) => {
    const m = randomMember(random, 900_000 + i);
    truth.set(m.user.id, m);
    return { id: `s${i}`, userId: m.user.id };
  });
  const store = new MemoryMemberListStore();
  const copies = new Map<string, MemberListCopy>();
  const ranges = new Map<string, RowRange[]>();
  const out = {
    list(ids: string[], update: MemberListUpdate) {
      for (const sid of ids) {
        if (!copies.has(sid)) copies.set(sid, new MemberListCopy());
        copies.get(sid)!.apply(update);
      }
    },
    presence() {},
    memberAdd() {},
    memberRemove() {},
  };
  const slowLoad = async () => {
    await new Promise((r) => setTimeout(r, random() * 3));
    return [...truth.values()];
  };
  const hub = new MemberListHub(store, slowLoad, out, silentLog, { flushMs: 1_000_000 });
  await hub.start();
  const blocks = Math.ceil((truth.size + 2) / 100) + 1;
  const randomRanges = (): RowRange[] =>
    Array.from({ length: Math.floor(random() * 4) }, () => {
      const s = Math.floor(random() * blocks) * 100;
      return [s, random() < 0.5 ? s + 99 : s + Math.floor(random() * 100)] as RowRange;
    });
  const pending: Promise<void>[] = [];
  const check = () => {
    const mirror = (hub as unknown as { mirrors: Map<string, { loading?: unknown; list: { rows(a: number, b: number): unknown; length: number } }> }).mirrors.get("1");
    if (!mirror || mirror.loading) return;
    expect(mirror.list.rows(0, mirror.list.length), `seed ${seed}: the node's copy`).toEqual(expectedRows(truth.values()));
    for (const s of subs) {
      const rg = ranges.get(s.id);
      if (!rg || rg.length === 0) continue;
      for (const [a, b] of rg) expect(copies.get(s.id)!.slice(a, b), `seed ${seed} ${s.id} [${a},${b}]`).toEqual(mirror.list.rows(a, b));
    }
  };
  for (let step = 0; step < steps; step++) {
    const r = random();
    if (r < 0.08) {
      const s = subs[Math.floor(random() * subs.length)]!;
      const rg = randomRanges();
      ranges.set(s.id, rg);
      const p = hub.subscribe(s, "1", rg);
      if (random() < 0.5) await p;
      else pending.push(p);
    } else if (r < 0.12) {
      await Promise.all(pending.splice(0));
      hub.flush();
      check();
    } else {
      const watcherLeaves = (c: MemberListChange) => c.type === "leave" && subs.some((s) => s.userId === c.userId);
      let change = randomChange(random, truth, () => id++);
      while (watcherLeaves(change)) change = randomChange(random, truth, () => id++);
      applyToRows(truth, change);
      await store.apply("1", change);
      if (random() < 0.05) await new Promise((r) => setTimeout(r, 1));
    }
  }
  await Promise.all(pending.splice(0));
  hub.flush();
  check();
  hub.close();
}

test("random interleavings of subscribes, loads, changes and flushes keep every copy right", async () => {
  for (let seed = 1; seed <= 40; seed++) for (const initial of [5, 150, 700]) await run(seed, initial, 400);
}, 120_000);

function recordingHub(members: Member[]) {
  const frames: Array<{ ids: string[]; update: MemberListUpdate }> = [];
  const store = new MemoryMemberListStore();
  const out = { list: (ids: string[], update: MemberListUpdate) => frames.push({ ids, update }), presence() {}, memberAdd() {}, memberRemove() {} };
  const hub = new MemberListHub(store, async () => members, out, silentLog, { flushMs: 1_000_000 });
  return { hub, store, frames };
}

test("subscribers of the same ranges get each batch of ops in one frame", async () => {
  const random = prng(3);
  const members = Array.from({ length: 50 }, (_, i) => randomMember(random, i + 1));
  const { hub, store, frames } = recordingHub(members);
  await hub.start();
  for (const id of ["a", "b", "c"]) await hub.subscribe({ id, userId: members[0]!.user.id }, "1", [[0, 99]]);
  await hub.subscribe({ id: "d", userId: members[0]!.user.id }, "1", [[0, 49]]);
  frames.length = 0;
  await store.apply("1", { type: "status", userId: members[5]!.user.id, status: members[5]!.status === "offline" ? "online" : "offline" });
  hub.flush();
  expect(frames.map((f) => [...f.ids].sort())).toEqual(expect.arrayContaining([["a", "b", "c"]]));
  expect(frames.flatMap((f) => f.ids).sort()).toEqual(["a", "b", "c", "d"]);
  hub.close();
});

test("one subscriber watches at most 3 servers: a 4th ends the oldest with an INVALIDATE", async () => {
  const random = prng(4);
  const members = Array.from({ length: 5 }, (_, i) => randomMember(random, i + 1));
  const { hub, frames } = recordingHub(members);
  await hub.start();
  for (const serverId of ["1", "2", "3", "4"]) await hub.subscribe({ id: "s", userId: members[0]!.user.id }, serverId, [[0, 99]]);
  const invalidated = frames.filter((f) => f.update.ops.some((op) => op.op === "INVALIDATE"));
  expect(invalidated.map((f) => f.update.serverId)).toEqual(["1"]);
  expect(hub.stats().subscriptions).toBe(3);
  hub.close();
});

test("someone who is not in the list gets no rows", async () => {
  const random = prng(5);
  const members = Array.from({ length: 5 }, (_, i) => randomMember(random, i + 1));
  const { hub, frames } = recordingHub(members);
  await hub.start();
  await hub.subscribe({ id: "s", userId: "424242" }, "1", [[0, 99]]);
  expect(frames).toEqual([]);
  expect(hub.stats().subscriptions).toBe(0);
  hub.close();
});
