// big-server's printed figures: the issue-11 quantities, with the targets next to them (printed,
// never enforced).
import { printFigures, type Row } from "../lib/report";
import type { BigServerFigures } from "./big-server";

const yes = (ok: boolean) => (ok ? "yes" : "NO");
const per = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);

export function printBigServer(f: BigServerFigures): void {
  const s = f.status;
  const changes = s.acked;
  const presence = s.member.presence + s.watcher.presence;
  const lists = s.member.list + s.watcher.list;
  const figures: Row = {
    "members online / failed": `${f.connect.opened} / ${f.connect.failed}`,
    "registration s + joins s (seeding)": `${(f.seeding?.registerSeconds ?? 0).toFixed(1)} + ${(f.seeding?.serversSeconds ?? 0).toFixed(1)}`,
    "connect s": f.connect.seconds,
    "connections/s": f.connect.perSecond,
    "storm: presence:update per connection": f.storm.presencePerConnection,
    "storm: member:add / member:remove / members:list frames": `${f.storm.memberAdd} / ${f.storm.memberRemove} / ${f.storm.list}`,
    "storm: presence + member frames per connection": f.storm.perConnection,
    "storm: server CPU s": f.storm.cpuSeconds,
    "storm: server RSS after MiB": f.storm.rssMiB,
    "target 10,000 online in <= 30 s": f.members >= 10_000 ? yes(f.connect.opened >= 10_000 && f.connect.seconds <= 30) : `n/a (${f.members} members)`,
    "target <= 5 presence/member frames per connection (storm)": yes(f.storm.perConnection <= 5),
    "watchers / subscribed / refused": `${f.watchers} / ${f.sync.acked} / ${f.sync.refused}${f.sync.errors.length ? ` (${f.sync.errors.join(", ")})` : ""}`,
    "watcher SYNC ms, first subscribe p50 / p99 / max": f.sync.supported ? `${f.sync.p50.toFixed(1)} / ${f.sync.p99.toFixed(1)} / ${f.sync.max.toFixed(1)} (${f.sync.count} SYNCs)` : "n/a (no members:subscribe)",
    "watcher SYNC ms again (list loaded) p50 / p99 / max": f.syncWarm ? `${f.syncWarm.p50.toFixed(1)} / ${f.syncWarm.p99.toFixed(1)} / ${f.syncWarm.max.toFixed(1)} (${f.syncWarm.count} SYNCs)` : "n/a",
    "target SYNC p99 < 100 ms (first / again)": f.sync.supported ? `${yes(f.sync.p99 < 100)} / ${f.syncWarm ? yes(f.syncWarm.p99 < 100) : "n/a"}` : "n/a",
    "status changes": s.invisible
      ? `${changes} acked of ${s.attempted}, ${s.groupMoves} to or from invisible (between groups), the rest within the online group`
      : `${changes} acked of ${s.attempted}, all within the online group (online/idle/dnd)`,
    "status: presence:update frames per change": per(presence, changes),
    "status: members:list frames per change": per(lists, changes),
    "status: presence:update to members' own (non-watcher) connections": s.member.presence,
    "status: watcher-holds-row pairs (per change)": f.sync.supported ? `${s.holdingPairs} (${per(s.holdingPairs, changes).toFixed(2)})` : "n/a",
    "status: presence:update per holding watcher": f.sync.supported ? per(s.watcher.presence, s.holdingPairs) : "n/a",
    "status: members:list per holding watcher": f.sync.supported ? per(s.watcher.list, s.holdingPairs) : "n/a",
    "status: member:add / member:remove frames": `${s.member.memberAdd + s.watcher.memberAdd} / ${s.member.memberRemove + s.watcher.memberRemove}`,
    "target <= 1 frame per holding watcher": f.sync.supported ? holdingTarget(s.watcher.presence, s.watcher.list, s.holdingPairs) : "n/a",
    "status: server CPU % / µs CPU per change": `${(s.cpuUtilization * 100).toFixed(1)} / ${per(s.cpuSeconds * 1e6, changes).toFixed(0)}`,
    "status failures": JSON.stringify(s.failures),
    "watcher copies match": f.sync.supported ? `${f.copies.checked > 0 && f.copies.matched === f.copies.checked ? "yes" : "no"} (${f.copies.matched} of ${f.copies.checked})${f.copies.difference ? `: ${f.copies.difference}` : ""}` : "n/a",
    "server RSS at end MiB": `${f.rssEndMiB.toFixed(0)} (${f.rssByNodeMiB.map((n) => `${n.label} ${n.rssMiB.toFixed(0)}`).join(", ")})`,
    "connections alive at end": `${f.aliveAtEnd} of ${f.connect.opened + f.watchers}`,
  };
  printFigures(`big-server: ${f.target}`, figures);
}

/** presence:update alone, and with the members:list frames that carry the same change. */
function holdingTarget(presence: number, lists: number, pairs: number): string {
  const alone = per(presence, pairs);
  const both = per(presence + lists, pairs);
  return `presence:update ${yes(alone <= 1)} (${alone.toFixed(2)}), presence:update + members:list ${yes(both <= 1)} (${both.toFixed(2)})`;
}
