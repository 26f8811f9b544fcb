// The member-list hub alone through a connect storm (docs/member-list.md, Costs): N watchers,
// most on rows 0–99, and 1,000 members coming online, flushed as at 333 changes/s.
// Run: npx tsx bench/probe/member-list-storm.ts [watchers]
import { MemoryMemberListStore } from "../../lib/adapters/memory/member-list-store";
import { MemberListHub } from "../../server/member-lists/member-list-hub";
const log: any = { warn: console.error, info() {}, debug() {}, error: console.error };
(async () => {
  const N = 10_000, S = Number(process.argv[2] ?? 10_000), CONNECTS = 1000;
  const members = Array.from({ length: N }, (_, i) => ({ user: { id: String(1000 + i), username: `u${i}`, displayName: `name ${(i * 7919) % N}` }, joinedAt: "2026-01-01T00:00:00.000Z", status: "offline" as const }));
  const store = new MemoryMemberListStore();
  let frames = 0, recipients = 0, ops = 0, bytes = 0, presenceTargets = 0;
  const out = { list(ids: string[], u: any) { frames++; recipients += ids.length; ops += u.ops.length; bytes += JSON.stringify(u).length; }, presence(ids: string[]) { presenceTargets += ids.length; }, memberAdd() {}, memberRemove() {} };
  const hub = new MemberListHub(store, async () => members, out, log, { flushMs: 100 });
  await hub.start();
  // Watchers are members 5000.. (they stay offline here); most watch block 0, some spread out.
  for (let i = 0; i < S; i++) await hub.subscribe({ id: `s${i}`, userId: String(1000 + 5000 + (i % 5000)) }, "1", i % 10 === 0 ? [[(i % 100) * 100, (i % 100) * 100 + 99]] : [[0, 99]]);
  frames = recipients = ops = bytes = 0;
  const t = performance.now();
  for (let i = 0; i < CONNECTS; i++) { await store.apply("1", { type: "status", userId: String(1000 + i), status: "online" }); if (i % 33 === 32) hub.flush(); }
  hub.flush();
  const ms = performance.now() - t;
  console.log({ subscribers: S, connects: CONNECTS, ms: Math.round(ms), perConnectMs: +(ms / CONNECTS).toFixed(3), frames, recipients, ops, serializedMB: +(bytes / 1e6).toFixed(1), presenceTargets });
  hub.close();
})();
