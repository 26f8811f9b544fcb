// The ReadStateStore contract: markers are per user and channel, move only forward, and the
// newest of concurrent writes wins.
import { describe, expect, test } from "vitest";
import type { ReadStateStore } from "../../lib/ports/read-state-store";

export type MakeReadStateStore = () => Promise<{ store: ReadStateStore; ids: { next(): string } }>;

export function describeReadStateStoreContract(name: string, make: MakeReadStateStore): void {
  describe(`ReadStateStore contract: ${name}`, () => {
    test("a user without markers has none", async () => {
      const { store, ids } = await make();
      expect(await store.listForUser(ids.next())).toEqual([]);
    });

    test("the first marker is stored and listed", async () => {
      const { store, ids } = await make();
      const [user, channel, message] = [ids.next(), ids.next(), ids.next()];
      expect(await store.markRead(user, channel, message)).toEqual({ lastReadId: message, advanced: true });
      expect(await store.listForUser(user)).toEqual([{ channelId: channel, lastReadId: message }]);
    });

    test("a newer id moves the marker forward", async () => {
      const { store, ids } = await make();
      const [user, channel, older, newer] = [ids.next(), ids.next(), ids.next(), ids.next()];
      await store.markRead(user, channel, older);
      expect(await store.markRead(user, channel, newer)).toEqual({ lastReadId: newer, advanced: true });
      expect(await store.listForUser(user)).toEqual([{ channelId: channel, lastReadId: newer }]);
    });

    test("an older or equal id never moves it back, and reports the marker as it stands", async () => {
      const { store, ids } = await make();
      const [user, channel, older, newer] = [ids.next(), ids.next(), ids.next(), ids.next()];
      await store.markRead(user, channel, newer);
      expect(await store.markRead(user, channel, older)).toEqual({ lastReadId: newer, advanced: false });
      expect(await store.markRead(user, channel, newer)).toEqual({ lastReadId: newer, advanced: false });
      expect(await store.listForUser(user)).toEqual([{ channelId: channel, lastReadId: newer }]);
    });

    test("ids are compared as 64-bit numbers, not as strings", async () => {
      const { store, ids } = await make();
      const [user, channel] = [ids.next(), ids.next()];
      await store.markRead(user, channel, "99");
      expect(await store.markRead(user, channel, "100")).toEqual({ lastReadId: "100", advanced: true });
      expect(await store.markRead(user, channel, "99")).toEqual({ lastReadId: "100", advanced: false });
    });

    test("markers are independent per user and per channel", async () => {
      const { store, ids } = await make();
      const [ana, bo, general, random, m1, m2] = [ids.next(), ids.next(), ids.next(), ids.next(), ids.next(), ids.next()];
      await store.markRead(ana, general, m2);
      await store.markRead(ana, random, m1);
      await store.markRead(bo, general, m1);
      const byChannel = (list: Array<{ channelId: string; lastReadId: string }>) => Object.fromEntries(list.map((r) => [r.channelId, r.lastReadId]));
      expect(byChannel(await store.listForUser(ana))).toEqual({ [general]: m2, [random]: m1 });
      expect(byChannel(await store.listForUser(bo))).toEqual({ [general]: m1 });
    });

    test("of concurrent marks, the newest id wins", async () => {
      const { store, ids } = await make();
      const [user, channel] = [ids.next(), ids.next()];
      const marks = Array.from({ length: 8 }, () => ids.next());
      const newest = marks[marks.length - 1]!;
      const shuffled = [...marks].sort(() => Math.random() - 0.5);
      await Promise.all(shuffled.map((m) => store.markRead(user, channel, m)));
      expect(await store.listForUser(user)).toEqual([{ channelId: channel, lastReadId: newest }]);
    });
  });
}
