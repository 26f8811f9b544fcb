// Rendezvous (highest-random-weight) hashing: each key goes to the node whose hash of
// (node, key) is highest. Adding a node moves only the keys it now wins (about 1/n of them);
// removing one moves only the keys it held; everything else stays put. No ring to keep in
// sync: any process that knows the same set of nodes makes the same choice.
import { createHash } from "node:crypto";

function weight(node: string, key: string): bigint {
  return createHash("sha256").update(node).update("\0").update(key).digest().readBigUInt64BE(0);
}

/** The node `key` belongs to, or undefined when there are none. Ties (never in practice) go to the smaller name. */
export function rendezvousPick(key: string, nodes: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const node of nodes) {
    const w = weight(node, key);
    if (w > bestWeight || (w === bestWeight && best !== undefined && node < best)) {
      best = node;
      bestWeight = w;
    }
  }
  return best;
}
