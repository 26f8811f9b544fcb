// Summarizes a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): where the server's
// CPU went, by function (self time) and by package or source folder.
// Usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [top=25] [regex: inclusive time of matching frames]
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const [file, topArg, filter] = process.argv.slice(2);
if (!file) throw new Error("usage: tsx bench/profile-summary.ts FILE.cpuprofile [top] [inclusive-filter-regex]");
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((s, v) => s + v, 0);

function where(url: string): string {
  if (!url) return "(native/V8)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return url;
  if (url.includes("/.next/")) return ".next (bundled app)";
  if (url.includes("/dist/")) return "dist/server.js";
  return url.replace(/^file:\/\//, "");
}

const byFn = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const n of profile.nodes) {
  const us = selfUs.get(n.id) ?? 0;
  if (!us) continue;
  const { functionName, url, lineNumber } = n.callFrame;
  const key = `${functionName || "(anonymous)"}  ${where(url)}${url ? `:${lineNumber + 1}` : ""}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  byPlace.set(where(url), (byPlace.get(where(url)) ?? 0) + us);
}

const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(2)} s sampled)`);
  for (const [k, us] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
show("self time by package / folder", byPlace);
show("self time by function", byFn);

// Inclusive time: every distinct function on a sampled stack gets the sample's time once.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
const keyOf = (n: Node) => `${n.callFrame.functionName || "(anonymous)"}  ${where(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ""}`;
const inclusive = new Map<string, number>();
const pattern = filter ? new RegExp(filter) : undefined;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = nodeById.get(cur)!;
    const key = keyOf(n);
    if (n.callFrame.functionName === "(idle)" || seen.has(key)) continue;
    if (pattern && !pattern.test(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
});
show(`inclusive time by function${filter ? ` matching /${filter}/` : ""}`, inclusive);
