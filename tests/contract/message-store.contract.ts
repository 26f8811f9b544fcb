// The MessageStore contract: every implementation (PGlite, PostgreSQL, Cassandra) must pass
// these cases. Each test writes to channels of its own, so a shared database is fine.
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BUCKET_MS } from "../../lib/ids/bucket";
import { PARLEY_EPOCH_MS, snowflakeAt, timestampOf, type Snowflake } from "../../lib/ids/snowflake";
import type { MessageStore, StoredMessage } from "../../lib/ports/message-store";

const MAX_ID = "9223372036854775807";
const HOUR = 60 * 60 * 1000;
/** The first millisecond of bucket `b`. */
const boundary = (b: number) => PARLEY_EPOCH_MS + b * BUCKET_MS;

/**
 * A new channel's id, made at a random moment of the hour from `ms`. A channel exists before
 * its messages, and a store may rely on it (Cassandra starts its bucket walk at the channel's
 * own bucket); the random moment, worker and sequence keep runs against one database apart.
 */
const channelMadeAt = (ms: number): Snowflake => snowflakeAt(ms + randomInt(HOUR), randomInt(1024), randomInt(4096));

export function describeMessageStoreContract(name: string, makeStore: () => Promise<MessageStore>): void {
  describe(`MessageStore contract: ${name}`, () => {
    let store: MessageStore;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store?.close();
    });

    /** A message in `channelId` with the id made at `ms` (by worker 3, so `sequence` varies it). */
    const message = (channelId: Snowflake, ms: number, sequence = 0, extra: Partial<StoredMessage> = {}): StoredMessage => {
      const id = snowflakeAt(ms, 3, sequence);
      return { id, channelId, serverId: "42", authorId: "7", content: `at ${ms}/${sequence}`, createdAt: new Date(timestampOf(id)).toISOString(), ...extra };
    };
    /** Inserts messages in the given order and returns their ids, oldest first. */
    const seed = async (messages: StoredMessage[]) => {
      for (const m of messages) expect(await store.insert(m)).toEqual({ inserted: true, id: m.id });
      return messages.map((m) => m.id).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    };
    const listIds = async (channelId: Snowflake, query: Parameters<MessageStore["list"]>[1]) => (await store.list(channelId, query)).map((m) => m.id);
    const now = Date.now();
    /** A channel made a few hours ago, for tests whose messages are recent. */
    const recentChannel = () => channelMadeAt(now - 3 * HOUR);

    test("an empty channel lists nothing, whatever the cursor", async () => {
      const channel = recentChannel();
      expect(await store.list(channel, { limit: 50 })).toEqual([]);
      expect(await store.list(channel, { limit: 50, after: "0" })).toEqual([]);
      expect(await store.list(channel, { limit: 50, before: MAX_ID })).toEqual([]);
      expect(await store.get(channel, snowflakeAt(now))).toBeNull();
    });

    test("lists newest first whatever the insert order", async () => {
      const channel = recentChannel();
      const sorted = await seed([5, 1, 4, 2, 3].map((i) => message(channel, now - i * 1000)));
      expect(await listIds(channel, { limit: 10 })).toEqual([...sorted].reverse());
      expect(await listIds(channel, { limit: 2 })).toEqual([sorted[4], sorted[3]]);
    });

    test("`before` and `after` are exclusive and pick the nearest `limit` messages, newest first", async () => {
      const channel = recentChannel();
      const sorted = await seed(Array.from({ length: 10 }, (_, i) => message(channel, now - 60_000, i)));
      expect(await listIds(channel, { limit: 3, before: sorted[5] })).toEqual([sorted[4], sorted[3], sorted[2]]);
      expect(await listIds(channel, { limit: 3, after: sorted[5] })).toEqual([sorted[8], sorted[7], sorted[6]]);
      expect(await listIds(channel, { limit: 100, before: sorted[0] })).toEqual([]);
      expect(await listIds(channel, { limit: 100, after: sorted[9] })).toEqual([]);
      expect(await listIds(channel, { limit: 2, after: "0" })).toEqual([sorted[1], sorted[0]]);
      expect(await listIds(channel, { limit: 2, before: MAX_ID })).toEqual([sorted[9], sorted[8]]);
    });

    test("cursors need not be ids of stored messages", async () => {
      const channel = recentChannel();
      const sorted = await seed([0, 10, 20].map((s) => message(channel, now - 5_000, s)));
      const between = (BigInt(sorted[1]!) + 5n).toString();
      expect(await listIds(channel, { limit: 10, before: between })).toEqual([sorted[1], sorted[0]]);
      expect(await listIds(channel, { limit: 10, after: between })).toEqual([sorted[2]]);
    });

    test("history spanning several ten-day buckets pages through every bucket boundary", async () => {
      const channel = channelMadeAt(boundary(1));
      // Around the starts of buckets 2..5: the last ms of the previous bucket, the first, the second.
      const sorted = await seed([2, 3, 4, 5].flatMap((b) => [-1, 0, 1].map((d) => message(channel, boundary(b) + d))));
      expect(await listIds(channel, { limit: 100 })).toEqual([...sorted].reverse());
      for (const limit of [1, 2, 5]) {
        const back: string[] = [];
        for (let cursor: string | undefined; ; ) {
          const got = await listIds(channel, { limit, before: cursor });
          if (got.length === 0) break;
          back.push(...got);
          cursor = got.at(-1);
        }
        expect(back).toEqual([...sorted].reverse());
        const forward: string[] = [];
        for (let cursor = "0"; ; ) {
          const got = await listIds(channel, { limit, after: cursor });
          if (got.length === 0) break;
          expect(got).toEqual([...got].sort((a, b) => (BigInt(a) < BigInt(b) ? 1 : -1)));
          forward.push(...[...got].reverse());
          cursor = got[0]!;
        }
        expect(forward).toEqual(sorted);
      }
    });

    test("more than 250 messages over three buckets (one empty between) page through exactly once, both ways", async () => {
      const channel = channelMadeAt(boundary(3));
      // 90 messages 2.5 hours apart (about nine days) in each of buckets 4, 5 and 7.
      const all = [4, 5, 7].flatMap((b) => Array.from({ length: 90 }, (_, i) => message(channel, boundary(b) + i * 2.5 * HOUR, i % 7)));
      for (let i = 0; i < all.length; i += 30) {
        const results = await Promise.all(all.slice(i, i + 30).map((m) => store.insert(m)));
        expect(results.every((r) => r.inserted)).toBe(true);
      }
      const sorted = all.map((m) => m.id).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      expect(sorted).toHaveLength(270);
      for (const limit of [100, 50, 7]) {
        const back: string[] = [];
        for (let cursor: string | undefined, pages = 0; pages < 100; pages++) {
          const got = await listIds(channel, { limit, before: cursor });
          expect(got.length).toBe(Math.min(limit, sorted.length - back.length));
          if (got.length === 0) break;
          back.push(...got);
          cursor = got.at(-1);
        }
        expect(back).toEqual([...sorted].reverse());
        const forward: string[] = [];
        for (let cursor = "0", pages = 0; pages < 100; pages++) {
          const got = await listIds(channel, { limit, after: cursor });
          expect(got.length).toBe(Math.min(limit, sorted.length - forward.length));
          if (got.length === 0) break;
          forward.push(...[...got].reverse());
          cursor = got[0]!;
        }
        expect(forward).toEqual(sorted);
      }
    });

    test("a cursor inside an empty bucket finds the neighbours on both sides", async () => {
      const channel = channelMadeAt(boundary(0));
      const [old, recent] = await seed([message(channel, PARLEY_EPOCH_MS + 1 * BUCKET_MS + 5), message(channel, PARLEY_EPOCH_MS + 6 * BUCKET_MS + 5)]);
      const gap = snowflakeAt(PARLEY_EPOCH_MS + 3 * BUCKET_MS);
      expect(await listIds(channel, { limit: 10, before: gap })).toEqual([old]);
      expect(await listIds(channel, { limit: 10, after: gap })).toEqual([recent]);
    });

    test("a channel whose history starts many buckets ago is found from now and from the start", async () => {
      const channel = channelMadeAt(boundary(0));
      const first = message(channel, boundary(0) + HOUR); // bucket 0
      const latest = message(channel, now); // dozens of buckets later, with nothing in between
      const sorted = await seed([first, latest]);
      expect(await listIds(channel, { limit: 50 })).toEqual([latest.id, first.id]);
      expect(await listIds(channel, { limit: 1, before: latest.id })).toEqual([first.id]);
      expect(await listIds(channel, { limit: 1, after: "0" })).toEqual([first.id]);
      expect(await listIds(channel, { limit: 1, after: first.id })).toEqual([latest.id]);
      expect(sorted).toEqual([first.id, latest.id]);

      const ancient = channelMadeAt(boundary(0)); // only old messages: listing from now must still reach them
      const only = message(ancient, boundary(2));
      await seed([only]);
      expect(await listIds(ancient, { limit: 50 })).toEqual([only.id]);
      expect(await listIds(ancient, { limit: 50, before: snowflakeAt(now) })).toEqual([only.id]);
    });

    test("inserting the same id twice keeps one row, the first one", async () => {
      const channel = recentChannel();
      const original = message(channel, now - 1000, 0, { content: "original", nonce: "n1" });
      expect(await store.insert(original)).toEqual({ inserted: true, id: original.id });
      expect(await store.insert({ ...original, content: "imposter" })).toEqual({ inserted: false, id: original.id });
      expect(await store.list(channel, { limit: 10 })).toEqual([original]);
    });

    test("a second send with the same nonce stores nothing and names the first message", async () => {
      const channel = recentChannel();
      const first = message(channel, now - 1500, 0, { nonce: "retry-1" });
      const retry = message(channel, now - 1400, 1, { nonce: "retry-1", content: "the same send, retried" });
      expect(await store.insert(first)).toEqual({ inserted: true, id: first.id });
      expect(await store.insert(retry)).toEqual({ inserted: false, id: first.id });
      expect(await store.list(channel, { limit: 10 })).toEqual([first]);
      expect(await store.findByNonce(channel, first.authorId, "retry-1")).toEqual(first);
    });

    test("a nonce binds one author in one channel: other authors and channels are independent", async () => {
      const [channel, other] = [recentChannel(), recentChannel()];
      const mine = message(channel, now - 1300, 0, { nonce: "shared" });
      const theirs = message(channel, now - 1300, 1, { nonce: "shared", authorId: "8" });
      const elsewhere = message(other, now - 1300, 2, { nonce: "shared" });
      for (const m of [mine, theirs, elsewhere]) expect(await store.insert(m)).toEqual({ inserted: true, id: m.id });
      expect(await store.findByNonce(channel, "7", "shared")).toEqual(mine);
      expect(await store.findByNonce(channel, "8", "shared")).toEqual(theirs);
      expect(await store.findByNonce(other, "7", "shared")).toEqual(elsewhere);
      expect(await store.findByNonce(channel, "9", "shared")).toBeNull();
      expect(await store.findByNonce(channel, "7", "never-sent")).toBeNull();
    });

    test("concurrent sends with one nonce: exactly one is stored and every one names it", async () => {
      const channel = recentChannel();
      const sends = Array.from({ length: 6 }, (_, i) => message(channel, now - 1200, i, { nonce: "racing" }));
      const results = await Promise.all(sends.map((m) => store.insert(m)));
      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      const stored = results.find((r) => r.inserted)!.id;
      expect(results.map((r) => r.id)).toEqual(sends.map(() => stored));
      expect(await listIds(channel, { limit: 10 })).toEqual([stored]);
    });

    test("concurrent inserts of one id: exactly one reports inserted", async () => {
      const channel = recentChannel();
      const m = message(channel, now - 2000);
      const results = await Promise.all(Array.from({ length: 5 }, () => store.insert(m)));
      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      expect(await listIds(channel, { limit: 10 })).toEqual([m.id]);
    });

    test("get returns the message exactly as stored, and only from its own channel", async () => {
      const channel = recentChannel();
      const withNonce = message(channel, now - 3000, 0, { content: "  spaced 😀 ", nonce: "abc-_1" });
      const without = message(channel, now - 3000, 1);
      await seed([withNonce, without]);
      expect(await store.get(channel, withNonce.id)).toEqual(withNonce);
      const plain = await store.get(channel, without.id);
      expect(plain).toEqual(without);
      expect(plain).not.toHaveProperty("nonce");
      expect(await store.get(recentChannel(), withNonce.id)).toBeNull();
      expect(await store.get(channel, snowflakeAt(now - 3000, 3, 2))).toBeNull();
    });

    test("channels do not see each other's messages", async () => {
      const [a, b] = [recentChannel(), recentChannel()];
      const [inA] = await seed([message(a, now - 500)]);
      const [inB] = await seed([message(b, now - 400)]);
      expect(await listIds(a, { limit: 10 })).toEqual([inA]);
      expect(await listIds(b, { limit: 10, after: "0" })).toEqual([inB]);
    });

    test("read-after-write: a message is listed as soon as insert resolves", async () => {
      const channel = recentChannel();
      for (let i = 0; i < 20; i++) {
        const m = message(channel, now, i);
        await store.insert(m);
        expect((await store.list(channel, { limit: 1 }))[0]?.id).toBe(m.id);
      }
    });

    test("ping resolves while the store can serve", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
