// The PresenceStore contract: online while any connection lives, a chosen status that belongs
// to the user and outlives connections, invisible shown as offline, and each real change of the
// visible status reported exactly once.
import { describe, expect, test } from "vitest";
import type { PresenceStore } from "../../lib/ports/presence-store";
import type { TestClock } from "./clock";

export type MakePresenceStore = () => Promise<PresenceStore>;

export interface PresenceContractOptions {
  /**
   * Set for a store whose connections hold leases that run out without heartbeats (shared by
   * several nodes, so a node that dies cannot say goodbye): the lease its stores were made
   * with and the clock that lease runs on. Without it the lease cases are skipped, visibly:
   * a single-process store's connections live and die with the process.
   */
  leases?: { leaseMs: number; clock: TestClock };
}

const change = (before: string, after: string) => ({ before, after, changed: true, at: expect.any(Number) });
const same = (status: string) => ({ before: status, after: status, changed: false, at: expect.any(Number) });

export function describePresenceStoreContract(name: string, make: MakePresenceStore, options: PresenceContractOptions = {}): void {
  describe(`PresenceStore contract: ${name}`, () => {
    let n = 0;
    const user = () => `${1000 + ++n}`;
    const statusOf = async (store: PresenceStore, userId: string) => (await store.getStatuses([userId])).get(userId);

    test("liveConnections counts a user's connections with a live lease", async () => {
      const store = await make();
      expect(await store.liveConnections("51")).toBe(0);
      await store.connect("51", "c1");
      await store.connect("51", "c2");
      await store.connect("52", "c3");
      expect(await store.liveConnections("51")).toBe(2);
      await store.disconnect("51", "c1");
      expect(await store.liveConnections("51")).toBe(1);
    });

    test("each change of a user happens later on the store's clock than the one before (announcements that cross are put back in order by it)", async () => {
      const store = await make();
      const ats: number[] = [];
      ats.push((await store.connect("41", "c1")).at);
      for (const status of ["idle", "dnd", "online", "idle"] as const) ats.push((await store.setChosenStatus("41", status)).at);
      ats.push((await store.disconnect("41", "c1")).at);
      for (let i = 1; i < ats.length; i++) expect(ats[i]!).toBeGreaterThan(ats[i - 1]!);
    });

    test("a user never seen is offline and has chosen online", async () => {
      const store = await make();
      const u = user();
      expect(await statusOf(store, u)).toBe("offline");
      expect(await store.getChosenStatus(u)).toBe("online");
    });

    test("several connections make one online user; only the first and the last are changes", async () => {
      const store = await make();
      const u = user();
      expect(await store.connect(u, "tab-1")).toEqual(change("offline", "online"));
      expect(await store.connect(u, "tab-2")).toEqual(same("online"));
      expect(await store.connect(u, "tab-3")).toEqual(same("online"));
      expect(await store.disconnect(u, "tab-2")).toEqual(same("online"));
      expect(await store.disconnect(u, "tab-1")).toEqual(same("online"));
      expect(await statusOf(store, u)).toBe("online");
      expect(await store.disconnect(u, "tab-3")).toEqual(change("online", "offline"));
      expect(await statusOf(store, u)).toBe("offline");
    });

    test("connecting the same connection twice or dropping an unknown one changes nothing", async () => {
      const store = await make();
      const u = user();
      await store.connect(u, "c");
      expect(await store.connect(u, "c")).toEqual(same("online"));
      expect(await store.disconnect(u, "never-seen")).toEqual(same("online"));
      expect(await store.disconnect(u, "c")).toEqual(change("online", "offline"));
      expect(await store.disconnect(u, "c")).toEqual(same("offline"));
    });

    test("a chosen status shows while connected, and changing it is reported once", async () => {
      const store = await make();
      const u = user();
      await store.connect(u, "c");
      expect(await store.setChosenStatus(u, "idle")).toEqual(change("online", "idle"));
      expect(await store.setChosenStatus(u, "idle")).toEqual(same("idle"));
      expect(await store.setChosenStatus(u, "dnd")).toEqual(change("idle", "dnd"));
      expect(await statusOf(store, u)).toBe("dnd");
      expect(await store.getChosenStatus(u)).toBe("dnd");
    });

    test("an invisible user appears offline to everyone, however many connections they have", async () => {
      const store = await make();
      const u = user();
      await store.connect(u, "c1");
      expect(await store.setChosenStatus(u, "invisible")).toEqual(change("online", "offline"));
      expect(await store.connect(u, "c2")).toEqual(same("offline"));
      expect(await statusOf(store, u)).toBe("offline");
      expect(await store.getChosenStatus(u)).toBe("invisible");
      expect(await store.setChosenStatus(u, "online")).toEqual(change("offline", "online"));
    });

    test("the chosen status is remembered across reconnects", async () => {
      const store = await make();
      const u = user();
      await store.connect(u, "c1");
      await store.setChosenStatus(u, "dnd");
      expect(await store.disconnect(u, "c1")).toEqual(change("dnd", "offline"));
      expect(await store.getChosenStatus(u)).toBe("dnd");
      expect(await store.connect(u, "c2")).toEqual(change("offline", "dnd"));
    });

    test("choosing a status while offline is no visible change, and applies on connecting", async () => {
      const store = await make();
      const u = user();
      expect(await store.setChosenStatus(u, "idle")).toEqual(same("offline"));
      expect(await statusOf(store, u)).toBe("offline");
      expect(await store.connect(u, "c")).toEqual(change("offline", "idle"));
    });

    test("a heartbeat keeps things as they are", async () => {
      const store = await make();
      const u = user();
      await store.connect(u, "c");
      await store.heartbeat(u, "c");
      expect(await statusOf(store, u)).toBe("online");
    });

    test("getStatuses answers for every id asked, each user on their own", async () => {
      const store = await make();
      const [on, hidden, away, never] = [user(), user(), user(), user()];
      await store.connect(on, "a");
      await store.connect(hidden, "b");
      await store.setChosenStatus(hidden, "invisible");
      await store.connect(away, "c");
      await store.setChosenStatus(away, "idle");
      const statuses = await store.getStatuses([on, hidden, away, never]);
      expect(Object.fromEntries(statuses)).toEqual({ [on]: "online", [hidden]: "offline", [away]: "idle", [never]: "offline" });
    });

    test("of concurrent first connections, exactly one reports coming online", async () => {
      const store = await make();
      const u = user();
      const transitions = await Promise.all(["a", "b", "c", "d"].map((c) => store.connect(u, c)));
      expect(transitions.filter((t) => t.changed)).toHaveLength(1);
      const leaving = await Promise.all(["a", "b", "c", "d"].map((c) => store.disconnect(u, c)));
      expect(leaving.filter((t) => t.changed)).toEqual([change("online", "offline")]);
    });

    // Concurrent: each case waits out whole leases on a real clock, on users of its own.
    describe.skipIf(!options.leases)("leases: a connection that stops renewing goes away by itself", { concurrent: true }, () => {
      const { leaseMs, clock } = options.leases ?? { leaseMs: 0, clock: undefined as unknown as TestClock };
      /** What the sweeps report about `userId`: each caller's list of transitions for them. */
      const sweep = async (store: PresenceStore, userId: string, sweepers = 1) =>
        (await Promise.all(Array.from({ length: sweepers }, () => store.expireStale()))).flatMap((reports) => reports.filter((r) => r.userId === userId).map((r) => r.transition));

      test("a lease nobody renews runs out: the sweep takes the user offline, reported to exactly one sweeper", async () => {
        const store = await make();
        const u = user();
        await store.connect(u, "on-a-node-that-died");
        expect(await sweep(store, u)).toEqual([]); // alive until the lease ends
        await clock.advance(leaseMs + 100);
        expect(await sweep(store, u, 3)).toEqual([change("online", "offline")]);
        expect(await statusOf(store, u)).toBe("offline");
        expect(await sweep(store, u)).toEqual([]);
      });

      test("heartbeats keep a connection alive well past its first lease", async () => {
        const store = await make();
        const u = user();
        await store.connect(u, "c");
        for (let i = 0; i < 3; i++) {
          await clock.advance(leaseMs * 0.5);
          expect(await store.heartbeat(u, "c")).toEqual(same("online"));
        }
        await clock.advance(leaseMs * 0.5); // 2 leases after connecting, half a lease after the last heartbeat
        expect(await sweep(store, u)).toEqual([]);
        expect(await statusOf(store, u)).toBe("online");
      });

      test("one live connection keeps the user online while another one's lease runs out", async () => {
        const store = await make();
        const u = user();
        await store.connect(u, "dead");
        await store.connect(u, "alive");
        await clock.advance(leaseMs * 0.6);
        await store.heartbeat(u, "alive");
        await clock.advance(leaseMs * 0.6);
        expect(await sweep(store, u)).toEqual([]);
        expect(await statusOf(store, u)).toBe("online");
        expect(await store.disconnect(u, "alive")).toEqual(change("online", "offline")); // the dead one no longer counts
      });

      test("a heartbeat after the lease was lost restores it, a real change back to the chosen status", async () => {
        const store = await make();
        const u = user();
        await store.connect(u, "c");
        await store.setChosenStatus(u, "dnd");
        await clock.advance(leaseMs + 100);
        expect(await sweep(store, u)).toEqual([change("dnd", "offline")]);
        expect(await store.getChosenStatus(u)).toBe("dnd"); // the choice outlives the lease
        expect(await store.heartbeat(u, "c")).toEqual(change("offline", "dnd"));
        expect(await statusOf(store, u)).toBe("dnd");
      });
    });
  });
}
