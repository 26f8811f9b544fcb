// The member-list service's contract: whatever store carries the lists (one process's memory,
// or Redis shared by several nodes), every subscriber that applies the ops it is sent keeps a
// copy of its ranges equal to the list, and a fresh SYNC shows the list as it truly is.
// Random joins, leaves, status and name changes, applied through any node, while subscribers
// come, change ranges and go, on every node.
import { isDeepStrictEqual } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { MemberListCopy } from "../../lib/domain/member-list/client-copy";
import { applyToRows } from "../../lib/domain/member-list/member-rows";
import type { MemberListUpdate, RowRange } from "../../lib/domain/member-list/types";
import type { Member } from "../../lib/domain/types";
import type { MemberListStore } from "../../lib/ports/member-list-store";
import { MemberListHub, type HubOutput } from "../../server/member-lists/member-list-hub";
import { expectedRows, prng, randomChange, randomMember, randomRanges } from "../support/member-list-model";
import { silentLog } from "./redis";

/** One store per node; they share the lists. */
export type MemberListNodes = () => Promise<MemberListStore[]>;

interface Watcher {
  node: number;
  id: string;
  ranges: RowRange[];
  copy: MemberListCopy;
}

let serverSeq = 0;

/** `loseLists`: makes the shared store forget every list, as a Redis restart does. */
export function describeMemberListContract(name: string, makeNodes: MemberListNodes, options: { loseLists?: () => Promise<void> } = {}) {
  describe(`member-list service: ${name}`, () => {
    const hubs: MemberListHub[] = [];
    const stores: MemberListStore[] = [];
    afterEach(async () => {
      for (const hub of hubs.splice(0)) hub.close();
      for (const store of stores.splice(0)) await store.close();
    });

    async function world(seed: number, initialMembers: number) {
      const random = prng(seed);
      const serverId = `${Date.now()}${++serverSeq}`;
      let nextId = 1;
      const truth = new Map<string, Member>();
      for (let i = 0; i < initialMembers; i++) {
        const m = randomMember(random, nextId++);
        truth.set(m.user.id, m);
      }
      const nodes = await makeNodes();
      stores.push(...nodes);
      const watchers = new Map<string, Watcher>();
      const output = (): HubOutput => ({
        list: (ids, update: MemberListUpdate) => {
          expect(update.serverId).toBe(serverId);
          for (const id of ids) watchers.get(id)?.copy.apply(update);
        },
        presence: () => {},
        memberAdd: () => {},
        memberRemove: () => {},
      });
      // The load reads the truth as it is when the store asks, like metadata and presence would.
      const nodeHubs = nodes.map((store) => new MemberListHub(store, async () => [...truth.values()], output(), silentLog, { flushMs: 5, checkEveryMs: 100 }));
      hubs.push(...nodeHubs);
      for (const hub of nodeHubs) await hub.start();
      // Watchers are members (only members may watch), one who never leaves.
      const watcherUser = randomMember(random, 999_999);
      truth.set(watcherUser.user.id, watcherUser);
      const subscribe = (w: Watcher) => nodeHubs[w.node]!.subscribe({ id: w.id, userId: watcherUser.user.id }, serverId, w.ranges);
      const change = async () => {
        let c = randomChange(random, truth, () => nextId++);
        while (c.type === "leave" && c.userId === watcherUser.user.id) c = randomChange(random, truth, () => nextId++);
        applyToRows(truth, c);
        await nodes[Math.floor(random() * nodes.length)]!.apply(serverId, c);
      };
      /** Every watcher's ranges equal the true list (after the ops in flight have arrived). */
      const converged = async () => {
        await expect
          .poll(
            () => {
              for (const hub of nodeHubs) hub.flush();
              const rows = expectedRows(truth.values());
              return [...watchers.values()].every((w) => w.ranges.every(([s, e]) => isDeepStrictEqual(w.copy.slice(s, e), rows.slice(s, e + 1))));
            },
            { timeout: 10_000, interval: 20 },
          )
          .toBe(true);
        // And said plainly, for a readable failure:
        const rows = expectedRows(truth.values());
        for (const w of watchers.values()) for (const [s, e] of w.ranges) expect(w.copy.slice(s, e)).toEqual(rows.slice(s, e + 1));
      };
      return { random, serverId, truth, nodes, nodeHubs, watchers, subscribe, change, converged };
    }

    test.each([1, 2, 3])("copies kept by ops stay equal to the list through random changes on every node (seed %i)", async (seed) => {
      const w = await world(seed, 320);
      let n = 0;
      const addWatcher = () => {
        const watcher: Watcher = { node: n % w.nodes.length, id: `sub-${n++}`, ranges: randomRanges(w.random, 4), copy: new MemberListCopy() };
        w.watchers.set(watcher.id, watcher);
        return w.subscribe(watcher);
      };
      // The first subscribes build the list while changes are already flowing.
      const building = Array.from({ length: 4 }, addWatcher);
      for (let i = 0; i < 20; i++) await w.change();
      await Promise.all(building);
      for (let round = 0; round < 6; round++) {
        for (let i = 0; i < 40; i++) {
          await w.change();
          const r = w.random();
          if (r < 0.05) await addWatcher();
          else if (r < 0.1) {
            const watcher = [...w.watchers.values()][Math.floor(w.random() * w.watchers.size)]!;
            watcher.ranges = randomRanges(w.random, 4);
            await w.subscribe(watcher);
          }
        }
        await w.converged();
      }
      // A fresh SYNC on every node shows the list as it truly is.
      for (let node = 0; node < w.nodes.length; node++) {
        const fresh: Watcher = { node, id: `fresh-${node}`, ranges: [[0, 99], [100, 199], [300, 399]], copy: new MemberListCopy() };
        w.watchers.set(fresh.id, fresh);
        await w.subscribe(fresh);
      }
      await w.converged();
    });

    test("a subscriber that stops watching hears nothing more; the node keeps its copy a while for the next one", async () => {
      const w = await world(7, 30);
      const watcher: Watcher = { node: 0, id: "only", ranges: [[0, 99]], copy: new MemberListCopy() };
      w.watchers.set(watcher.id, watcher);
      await w.subscribe(watcher);
      await w.converged();
      expect(w.nodeHubs[0]!.stats()).toEqual({ mirrors: 1, subscriptions: 1 });
      await w.nodeHubs[0]!.subscribe({ id: "only", userId: "0" }, w.serverId, []);
      expect(w.nodeHubs[0]!.stats()).toEqual({ mirrors: 1, subscriptions: 0 });
      w.watchers.delete(watcher.id);
      const before = structuredClone(watcher.copy.rows);
      for (let i = 0; i < 20; i++) await w.change();
      // A marker after the changes: a second subscriber's SYNC, which comes after them.
      const marker: Watcher = { node: 0, id: "marker", ranges: [[0, 99]], copy: new MemberListCopy() };
      w.watchers.set(marker.id, marker);
      await w.subscribe(marker);
      await w.converged();
      w.nodeHubs[0]!.flush();
      expect(watcher.copy.rows).toEqual(before);
    });

    test.runIf(options.loseLists)("lists lost by the store are rebuilt, and every watcher gets a fresh SYNC", async () => {
      const w = await world(11, 150);
      for (let node = 0; node < w.nodes.length; node++) {
        const watcher: Watcher = { node, id: `w${node}`, ranges: [[0, 99], [100, 199]], copy: new MemberListCopy() };
        w.watchers.set(watcher.id, watcher);
        await w.subscribe(watcher);
      }
      await w.converged();
      await options.loseLists!();
      // Changes while no list is kept are not recorded anywhere: the rebuild reads them from the truth.
      for (let i = 0; i < 30; i++) await w.change();
      await w.converged();
      for (let i = 0; i < 30; i++) await w.change();
      await w.converged();
    });

    test("a member who leaves stops watching the list", async () => {
      const w = await world(9, 10);
      const [leaverId] = [...w.truth.keys()];
      await w.nodeHubs[0]!.subscribe({ id: "leaver-socket", userId: leaverId! }, w.serverId, [[0, 99]]);
      expect(w.nodeHubs[0]!.stats().subscriptions).toBe(1);
      w.truth.delete(leaverId!);
      await w.nodes[0]!.apply(w.serverId, { type: "leave", userId: leaverId! });
      await expect.poll(() => w.nodeHubs[0]!.stats().subscriptions, { timeout: 5_000 }).toBe(0);
    });
  });
}
