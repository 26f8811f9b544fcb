// Reads V8 heap snapshots (.heapsnapshot, e.g. from bench/probe-connection-memory.ts --snapshot)
// and says where the memory is, per connection:
//   npx tsx bench/heap-summary.ts diff BEFORE AFTER N [top]      self size and count by constructor, (after − before) / N
//   npx tsx bench/heap-summary.ts retained FILE CLASS [top]      retained size (dominator tree) of each instance of CLASS, by what it dominates
//   npx tsx bench/heap-summary.ts retainers FILE CLASS [paths]   who holds instances of CLASS: direct retainers by edge, and shortest paths from the roots
//   npx tsx bench/heap-summary.ts object FILE CLASS              one instance of CLASS: its fields with self and retained sizes
// Run with a large old space for big snapshots: NODE_OPTIONS=--max-old-space-size=8192.
import { readFileSync } from "node:fs";

interface Raw {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

class Snapshot {
  readonly nodeCount: number;
  readonly nodeFieldCount: number;
  readonly typeNames: string[];
  readonly edgeTypeNames: string[];
  readonly type: Uint8Array;
  readonly name: Uint32Array;
  readonly selfSize: Float64Array;
  readonly firstEdge: Uint32Array;
  readonly edgeType: Uint8Array;
  readonly edgeName: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly strings: string[];

  constructor(file: string) {
    const raw = JSON.parse(readFileSync(file, "utf8")) as Raw;
    const meta = raw.snapshot.meta;
    const nf = meta.node_fields.length;
    const ef = meta.edge_fields.length;
    this.nodeFieldCount = nf;
    this.nodeCount = raw.nodes.length / nf;
    this.typeNames = meta.node_types[0];
    this.edgeTypeNames = meta.edge_types[0];
    this.strings = raw.strings;
    const iType = meta.node_fields.indexOf("type");
    const iName = meta.node_fields.indexOf("name");
    const iSize = meta.node_fields.indexOf("self_size");
    const iEdges = meta.node_fields.indexOf("edge_count");
    const eType = meta.edge_fields.indexOf("type");
    const eName = meta.edge_fields.indexOf("name_or_index");
    const eTo = meta.edge_fields.indexOf("to_node");
    const n = this.nodeCount;
    this.type = new Uint8Array(n);
    this.name = new Uint32Array(n);
    this.selfSize = new Float64Array(n);
    this.firstEdge = new Uint32Array(n + 1);
    let edge = 0;
    for (let i = 0; i < n; i++) {
      const base = i * nf;
      this.type[i] = raw.nodes[base + iType]!;
      this.name[i] = raw.nodes[base + iName]!;
      this.selfSize[i] = raw.nodes[base + iSize]!;
      this.firstEdge[i] = edge;
      edge += raw.nodes[base + iEdges]!;
    }
    this.firstEdge[n] = edge;
    const m = raw.edges.length / ef;
    this.edgeType = new Uint8Array(m);
    this.edgeName = new Uint32Array(m);
    this.edgeTo = new Uint32Array(m);
    for (let e = 0; e < m; e++) {
      this.edgeType[e] = raw.edges[e * ef + eType]!;
      this.edgeName[e] = raw.edges[e * ef + eName]!;
      this.edgeTo[e] = raw.edges[e * ef + eTo]! / nf;
    }
  }

  typeOf(i: number): string {
    return this.typeNames[this.type[i]!]!;
  }

  /** A readable class for a node: the constructor of an object, "closure NAME", "string", "(array) NAME" ... */
  classOf(i: number): string {
    const t = this.typeOf(i);
    const name = this.strings[this.name[i]!]!;
    switch (t) {
      case "object":
        return name;
      case "closure":
        return `closure ${name || "(anonymous)"}`;
      case "string":
      case "concatenated string":
      case "sliced string":
        return "(string)";
      case "number":
      case "bigint":
      case "symbol":
        return `(${t})`;
      case "code":
        return "(code)";
      case "array":
        return `(array) ${name}`;
      case "hidden":
      case "native":
      case "synthetic":
      case "object shape":
        return `(${t}) ${name.replace(/\d+/g, "#").slice(0, 60)}`;
      default:
        return `(${t}) ${name.slice(0, 60)}`;
    }
  }

  edgeLabel(e: number): string {
    const t = this.edgeTypeNames[this.edgeType[e]!]!;
    const nameOrIndex = this.edgeName[e]!;
    return t === "element" || t === "hidden" ? `[${nameOrIndex}]` : (this.strings[nameOrIndex] ?? String(nameOrIndex));
  }

  isWeak(e: number): boolean {
    return this.edgeTypeNames[this.edgeType[e]!] === "weak";
  }

  instancesOf(cls: string): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.nodeCount; i++) if (this.classOf(i) === cls) out.push(i);
    return out;
  }

  /** Reverse edges (non-weak), as CSR arrays. */
  reverse(): { first: Uint32Array; from: Uint32Array; edge: Uint32Array } {
    const n = this.nodeCount;
    const count = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) for (let e = this.firstEdge[i]!; e < this.firstEdge[i + 1]!; e++) if (!this.isWeak(e)) count[this.edgeTo[e]! + 1]!++;
    for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
    const from = new Uint32Array(count[n]!);
    const edge = new Uint32Array(count[n]!);
    const fill = count.slice();
    for (let i = 0; i < n; i++)
      for (let e = this.firstEdge[i]!; e < this.firstEdge[i + 1]!; e++) {
        if (this.isWeak(e)) continue;
        const at = fill[this.edgeTo[e]!]!++;
        from[at] = i;
        edge[at] = e;
      }
    return { first: count, from, edge };
  }

  /** Retained sizes through the dominator tree (Cooper, Harvey and Kennedy), weak edges ignored, from node 0. */
  dominators(): { idom: Int32Array; retained: Float64Array } {
    const n = this.nodeCount;
    // Iterative DFS post-order from the root.
    const post = new Int32Array(n).fill(-1);
    const order: number[] = [];
    const visited = new Uint8Array(n);
    const stack: number[] = [0];
    const edgeAt = new Uint32Array(n);
    visited[0] = 1;
    edgeAt[0] = this.firstEdge[0]!;
    while (stack.length) {
      const v = stack[stack.length - 1]!;
      let pushed = false;
      while (edgeAt[v]! < this.firstEdge[v + 1]!) {
        const e = edgeAt[v]!++;
        if (this.isWeak(e)) continue;
        const w = this.edgeTo[e]!;
        if (!visited[w]) {
          visited[w] = 1;
          edgeAt[w] = this.firstEdge[w]!;
          stack.push(w);
          pushed = true;
          break;
        }
      }
      if (!pushed) {
        stack.pop();
        post[v] = order.length;
        order.push(v);
      }
    }
    const rev = this.reverse();
    const idom = new Int32Array(n).fill(-1);
    idom[0] = 0;
    const intersect = (a: number, b: number) => {
      while (a !== b) {
        while (post[a]! < post[b]!) a = idom[a]!;
        while (post[b]! < post[a]!) b = idom[b]!;
      }
      return a;
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (let k = order.length - 1; k >= 0; k--) {
        const v = order[k]!;
        if (v === 0) continue;
        let dom = -1;
        for (let r = rev.first[v]!; r < rev.first[v + 1]!; r++) {
          const p = rev.from[r]!;
          if (idom[p] === -1 || post[p] === -1) continue;
          dom = dom === -1 ? p : intersect(p, dom);
        }
        if (dom !== -1 && idom[v] !== dom) {
          idom[v] = dom;
          changed = true;
        }
      }
    }
    const retained = Float64Array.from(this.selfSize);
    for (const v of order) if (v !== 0 && idom[v]! >= 0) retained[idom[v]!]! += retained[v]!;
    for (let i = 0; i < n; i++) if (post[i] === -1) retained[i] = 0;
    return { idom, retained };
  }
}

function bySelf(s: Snapshot): Map<string, { size: number; count: number }> {
  const out = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < s.nodeCount; i++) {
    const key = s.classOf(i);
    const entry = out.get(key) ?? { size: 0, count: 0 };
    entry.size += s.selfSize[i]!;
    entry.count++;
    out.set(key, entry);
  }
  return out;
}

function diff(beforeFile: string, afterFile: string, n: number, top: number) {
  const before = bySelf(new Snapshot(beforeFile));
  const after = bySelf(new Snapshot(afterFile));
  const rows = [...after.entries()].map(([key, a]) => {
    const b = before.get(key) ?? { size: 0, count: 0 };
    return { key, bytes: (a.size - b.size) / n, count: (a.count - b.count) / n };
  });
  rows.sort((x, y) => y.bytes - x.bytes);
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  console.log(`self size per connection (N = ${n}): ${total.toFixed(0)} B in all`);
  console.log("bytes/conn  objects/conn  class");
  for (const r of rows.slice(0, top)) console.log(`${r.bytes.toFixed(1).padStart(10)}  ${r.count.toFixed(2).padStart(12)}  ${r.key}`);
}

function retained(file: string, cls: string, top: number) {
  const s = new Snapshot(file);
  const { idom, retained: size } = s.dominators();
  const instances = s.instancesOf(cls);
  const total = instances.reduce((t, i) => t + size[i]!, 0);
  console.log(`${instances.length} × ${cls}: retained ${(total / Math.max(1, instances.length)).toFixed(0)} B each (self ${(instances.reduce((t, i) => t + s.selfSize[i]!, 0) / Math.max(1, instances.length)).toFixed(0)} B)`);
  // What the instances dominate, by class of the dominated node (self sizes), per instance.
  const owner = new Int32Array(s.nodeCount).fill(-1);
  const mark = new Uint8Array(s.nodeCount);
  for (const i of instances) mark[i] = 1;
  const byClass = new Map<string, number>();
  for (let v = 0; v < s.nodeCount; v++) {
    let d = v;
    let hops = 0;
    while (d !== 0 && d >= 0 && !mark[d] && hops++ < 10_000) d = idom[d]!;
    if (d > 0 && mark[d]) {
      owner[v] = d;
      const key = s.classOf(v);
      byClass.set(key, (byClass.get(key) ?? 0) + s.selfSize[v]!);
    }
  }
  const rows = [...byClass.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, bytes] of rows) console.log(`${(bytes / Math.max(1, instances.length)).toFixed(1).padStart(10)}  ${key}`);
  // And what dominates the instances themselves.
  const doms = new Map<string, number>();
  for (const i of instances) {
    const key = `${s.classOf(idom[i]!)}`;
    doms.set(key, (doms.get(key) ?? 0) + 1);
  }
  console.log(`immediate dominators of ${cls}: ${[...doms.entries()].map(([k, c]) => `${k} ×${c}`).join(", ")}`);
}

function retainers(file: string, cls: string, paths: number) {
  const s = new Snapshot(file);
  const rev = s.reverse();
  const instances = s.instancesOf(cls);
  console.log(`${instances.length} × ${cls}`);
  const direct = new Map<string, number>();
  for (const i of instances)
    for (let r = rev.first[i]!; r < rev.first[i + 1]!; r++) {
      const key = `${s.classOf(rev.from[r]!)} .${s.edgeLabel(rev.edge[r]!)}`;
      direct.set(key, (direct.get(key) ?? 0) + 1);
    }
  console.log("direct retainers (count):");
  for (const [key, c] of [...direct.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${String(c).padStart(8)}  ${key}`);
  // Shortest paths from the root (BFS over non-weak edges) to a few instances.
  const n = s.nodeCount;
  const parentEdge = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  const queue = new Uint32Array(n);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  parent[0] = 0;
  while (head < tail) {
    const v = queue[head++]!;
    for (let e = s.firstEdge[v]!; e < s.firstEdge[v + 1]!; e++) {
      if (s.isWeak(e)) continue;
      const w = s.edgeTo[e]!;
      if (parent[w] !== -1) continue;
      parent[w] = v;
      parentEdge[w] = e;
      queue[tail++] = w;
    }
  }
  for (const i of instances.slice(0, paths)) {
    const chain: string[] = [];
    for (let v = i; v !== 0 && parent[v] !== -1 && chain.length < 40; v = parent[v]!) chain.push(`${s.classOf(parent[v]!)} .${s.edgeLabel(parentEdge[v]!)}`);
    console.log(`path to one ${cls}:\n   ${chain.reverse().join("\n   ")}`);
  }
}

/** Instances of each CLASS grouped by who holds them (the retainer nearest the roots, and its edge): self size per group / n. */
function byHolder(file: string, classes: string[], n: number, top: number) {
  const s = new Snapshot(file);
  const parent = new Int32Array(s.nodeCount).fill(-1);
  const parentEdge = new Int32Array(s.nodeCount).fill(-1);
  const queue = new Uint32Array(s.nodeCount);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  parent[0] = 0;
  while (head < tail) {
    const v = queue[head++]!;
    for (let e = s.firstEdge[v]!; e < s.firstEdge[v + 1]!; e++) {
      if (s.isWeak(e)) continue;
      const w = s.edgeTo[e]!;
      if (parent[w] !== -1) continue;
      parent[w] = v;
      parentEdge[w] = e;
      queue[tail++] = w;
    }
  }
  for (const cls of classes) {
    const groups = new Map<string, { size: number; count: number }>();
    for (let i = 0; i < s.nodeCount; i++) {
      if (s.classOf(i) !== cls || parent[i] === -1) continue;
      // Name the holder by its class and edge; for an anonymous holder, also its own holder.
      const p = parent[i]!;
      let key = `${s.classOf(p)} .${s.edgeLabel(parentEdge[i]!)}`;
      if (/^(Object|\(array\)|\(hidden\)|system|closure|Array)/.test(s.classOf(p)) && p !== 0) key = `${s.classOf(parent[p]!)} .${s.edgeLabel(parentEdge[p]!)} > ${key}`;
      key = key.replace(/\.[A-Za-z0-9_-]{20}\b/g, ".<id>");
      const g = groups.get(key) ?? { size: 0, count: 0 };
      g.size += s.selfSize[i]!;
      g.count++;
      groups.set(key, g);
    }
    console.log(`== ${cls}`);
    for (const [key, g] of [...groups.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, top)) console.log(`${(g.size / n).toFixed(1).padStart(9)} B ${(g.count / n).toFixed(2).padStart(6)}×  ${key}`);
  }
}

function object(file: string, cls: string) {
  const s = new Snapshot(file);
  const { retained: size } = s.dominators();
  const [i] = s.instancesOf(cls);
  if (i === undefined) return console.log(`no ${cls}`);
  console.log(`${cls}: self ${s.selfSize[i]} B, retained ${size[i]} B`);
  for (let e = s.firstEdge[i]!; e < s.firstEdge[i + 1]!; e++) {
    const w = s.edgeTo[e]!;
    console.log(`  ${s.edgeTypeNames[s.edgeType[e]!]!.padEnd(8)} ${s.edgeLabel(e).padEnd(28)} ${s.classOf(w).padEnd(40)} self ${String(s.selfSize[w]).padStart(6)}  retained ${String(size[w]).padStart(8)}`);
  }
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case "diff":
    diff(args[0]!, args[1]!, Number(args[2]), Number(args[3] ?? 40));
    break;
  case "retained":
    retained(args[0]!, args[1]!, Number(args[2] ?? 30));
    break;
  case "retainers":
    retainers(args[0]!, args[1]!, Number(args[2] ?? 2));
    break;
  case "object":
    object(args[0]!, args[1]!);
    break;
  case "holders":
    byHolder(args[0]!, args[1]!.split("|"), Number(args[2] ?? 1), Number(args[3] ?? 15));
    break;
  default:
    console.log("usage: heap-summary.ts diff BEFORE AFTER N [top] | retained FILE CLASS [top] | retainers FILE CLASS [paths] | object FILE CLASS");
}
