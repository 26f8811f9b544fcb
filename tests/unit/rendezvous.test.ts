// Rendezvous hashing of users to gateway nodes (contract v2 "Directory"): stable while the set
// of nodes holds; a node joining takes about its share and nobody else moves; a node leaving
// moves only its own users.
import { describe, expect, test } from "vitest";
import { rendezvousPick } from "../../lib/domain/rendezvous";

const USERS = Array.from({ length: 20_000 }, (_, i) => String(1_000_000_000_000_000n + BigInt(i) * 7919n));
const NODES = ["http://10.0.0.1:3001", "http://10.0.0.2:3001", "http://10.0.0.3:3001"];
const FOURTH = "http://10.0.0.4:3001";
const assign = (nodes: string[]) => new Map(USERS.map((u) => [u, rendezvousPick(u, nodes)!]));

describe("rendezvous hashing", () => {
  test("no nodes, no answer; one node takes everyone; the order of nodes does not matter", () => {
    expect(rendezvousPick("1", [])).toBeUndefined();
    expect(rendezvousPick("1", [NODES[0]!])).toBe(NODES[0]);
    for (const user of USERS.slice(0, 500)) expect(rendezvousPick(user, [...NODES].reverse())).toBe(rendezvousPick(user, NODES));
  });

  test("users spread evenly over the nodes", () => {
    const counts = new Map<string, number>();
    for (const node of assign(NODES).values()) counts.set(node, (counts.get(node) ?? 0) + 1);
    for (const node of NODES) expect(counts.get(node)! / USERS.length, node).toBeGreaterThan(0.3);
  });

  test("a fourth node joining: about a quarter move, all of them to it, everyone else keeps their node", () => {
    const before = assign(NODES);
    const after = assign([...NODES, FOURTH]);
    const moved = USERS.filter((u) => before.get(u) !== after.get(u));
    expect(moved.every((u) => after.get(u) === FOURTH)).toBe(true);
    expect(moved.length / USERS.length).toBeGreaterThan(0.22);
    expect(moved.length / USERS.length).toBeLessThan(0.28);
  });

  test("a node leaving: only its users move", () => {
    const before = assign([...NODES, FOURTH]);
    const after = assign(NODES.filter((n) => n !== NODES[1]).concat(FOURTH));
    for (const user of USERS) if (before.get(user) !== NODES[1]) expect(after.get(user)).toBe(before.get(user));
  });
});
