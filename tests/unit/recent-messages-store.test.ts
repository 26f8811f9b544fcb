// RecentMessagesStore over the real embedded store: every answer equals the store's own, for
// pages inside, across and beyond the window, with inserts out of order, inserts racing a
// window load, and more channels than it keeps.
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RecentMessagesStore, type RecentMessagesOptions } from "../../lib/adapters/cache/recent-messages-store";
import { openDatabase, type Database } from "../../lib/adapters/db/client";
import { PostgresMessageStore } from "../../lib/adapters/db/message-store";
import { canonicalId, snowflakeAt, timestampOf, type Snowflake } from "../../lib/ids/snowflake";
import type { HistoryQuery, StoredMessage } from "../../lib/ports/message-store";
import { MIGRATIONS } from "../contract/databases";
import { Gate } from "../support/gate";
import { testCipher } from "../support/keys";

const MAX_ID = "9223372036854775807";
const DAY = 24 * 60 * 60 * 1000;
const START = Date.now() - 60 * DAY; // several ten-day buckets back

/** The real store, counting list calls and able to hold their answers back (a slow read). */
class SlowableStore extends PostgresMessageStore {
  lists = 0;
  readonly gate = new Gate();
  override async list(channelId: Snowflake, query: HistoryQuery): Promise<StoredMessage[]> {
    this.lists++;
    const page = await super.list(channelId, query);
    await this.gate.pass();
    return page;
  }
}

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ kind: "pglite", dataDir: "memory://" }, MIGRATIONS);
});
afterAll(async () => {
  await database?.close();
});

function setup(options: Partial<RecentMessagesOptions> = {}) {
  const inner = new SlowableStore(database.sql, { nonceTtlMs: 15 * 60 * 1000, cipher: testCipher(), ping: async () => {} });
  return { inner, cached: new RecentMessagesStore(inner, options) };
}
const newChannel = () => snowflakeAt(START - DAY, randomInt(1024), randomInt(4096));
let sequence = 0;
/** A message `ms` after START (worker 7), with a nonce on every third. */
const message = (channelId: Snowflake, ms: number): StoredMessage => {
  const id = snowflakeAt(START + ms, 7, ++sequence % 4096);
  return { id, channelId, serverId: "42", authorId: "7", content: `m ${id}`, ...(sequence % 3 === 0 ? { nonce: `n${sequence}` } : {}), createdAt: new Date(timestampOf(id)).toISOString() };
};
const byId = (a: Snowflake, b: Snowflake) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** A small deterministic generator, so a failing run can be repeated from its seed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]! };
}

describe("RecentMessagesStore", () => {
  test("every page equals the store's own, inside, across and beyond the window, while messages keep arriving", async () => {
    const seed = randomInt(2 ** 31);
    const rnd = random(seed);
    const { inner, cached } = setup();
    const channel = newChannel();
    // 450 messages over sixty days, inserted in shuffled order, ten at a time.
    const all = Array.from({ length: 450 }, (_, i) => message(channel, i * 3 * 60 * 60 * 1000 + rnd.int(1000)));
    const shuffled = [...all].sort(() => rnd.int(3) - 1);
    for (let i = 0; i < shuffled.length; i += 10) await Promise.all(shuffled.slice(i, i + 10).map((m) => cached.insert(m)));
    const ids = all.map((m) => m.id).sort(byId);

    const cursor = (): Snowflake => {
      const edge = ids.length - 200 + rnd.int(5) - 2; // around the oldest message a full window holds
      const id = BigInt(rnd.pick([ids[rnd.int(ids.length)]!, ids[Math.max(0, Math.min(ids.length - 1, edge))]!, ids.at(-1)!, ids[0]!]));
      return rnd.pick([id, id - 1n, id + 1n, id + BigInt(rnd.int(1 << 22)), 0n, BigInt(MAX_ID)]).toString();
    };
    let fromWindow = 0;
    for (let round = 0; round < 600; round++) {
      const limit = rnd.pick([1, 2, 50, 99, 100, 199, 200, 201, 300, 1 + rnd.int(120)]);
      const kind = rnd.int(3);
      const query: HistoryQuery = kind === 0 ? { limit } : kind === 1 ? { limit, before: cursor() } : { limit, after: cursor() };
      const before = inner.lists;
      const got = await cached.list(channel, query);
      if (inner.lists === before) fromWindow++;
      expect(got, `seed ${seed}, round ${round}, ${JSON.stringify(query)}`).toStrictEqual(await inner.list(channel, query));
      if (round % 40 === 39) {
        // New messages: the newest, one inside the window, one older than the window holds.
        const arrivals = [message(channel, 61 * DAY + round), message(channel, (ids.length - 20) * 3 * 60 * 60 * 1000 + 500), message(channel, 5 * DAY + round)];
        await Promise.all(arrivals.map((m) => cached.insert(m)));
        ids.push(...arrivals.map((m) => m.id));
        ids.sort(byId);
      }
    }
    expect(fromWindow, "the window answered nothing: the test no longer tests it").toBeGreaterThan(100);
  });

  test("scrolling back grows the window a step per miss: a channel read back once is read back again from memory, exactly", async () => {
    const { inner, cached } = setup({ windowSize: 40, windowCap: 1_000 });
    const channel = newChannel();
    const all = Array.from({ length: 300 }, (_, i) => message(channel, i * 60_000));
    for (let i = 0; i < all.length; i += 20) await Promise.all(all.slice(i, i + 20).map((m) => cached.insert(m)));
    const scrollBack = async () => {
      const pages: StoredMessage[][] = [await cached.list(channel, { limit: 25 })];
      while (pages.at(-1)!.length > 0) pages.push(await cached.list(channel, { limit: 25, before: pages.at(-1)!.at(-1)?.id ?? "1" }));
      return pages;
    };
    const first = await scrollBack();
    expect(first.flat().map((m) => m.id)).toEqual(all.map((m) => m.id).sort(byId).reverse());
    const reads = inner.lists;
    const again = await scrollBack();
    expect(inner.lists, "the second scroll-back read the store").toBe(reads);
    expect(again).toStrictEqual(first);
  });

  test("a window stops growing at its cap: older pages still come from the store, exactly", async () => {
    const { inner, cached } = setup({ windowSize: 30, windowCap: 90 });
    const channel = newChannel();
    const all = Array.from({ length: 200 }, (_, i) => message(channel, i * 60_000));
    for (let i = 0; i < all.length; i += 20) await Promise.all(all.slice(i, i + 20).map((m) => cached.insert(m)));
    const ids = all.map((m) => m.id).sort(byId);
    await cached.list(channel, { limit: 10 });
    for (const bottom of [170, 140, 110, 110, 110]) await cached.list(channel, { limit: 10, before: ids[bottom]! }); // grows a step (30) per page at its bottom, to the cap, no further
    for (const cursor of [ids[5]!, ids[100]!, ids[150]!, ids[111]!]) {
      const before = inner.lists;
      const got = await cached.list(channel, { limit: 20, before: cursor });
      const fromStore = inner.lists > before;
      expect(got).toStrictEqual(await inner.list(channel, { limit: 20, before: cursor }));
      // Held: the newest 90 (ids[110] up); a page reaching below them is the store's.
      expect(fromStore).toBe(BigInt(cursor) - 0n <= BigInt(ids[130]!));
    }
  });

  test("a cursor already below the window (a jump into old history) is read from the store and does not grow the window", async () => {
    const { inner, cached } = setup({ windowSize: 20, windowCap: 1_000 });
    const channel = newChannel();
    const all = Array.from({ length: 100 }, (_, i) => message(channel, i * 60_000));
    for (let i = 0; i < all.length; i += 20) await Promise.all(all.slice(i, i + 20).map((m) => cached.insert(m)));
    const ids = all.map((m) => m.id).sort(byId);
    await cached.list(channel, { limit: 5 }); // the newest 20: ids[80] up
    for (let round = 0; round < 3; round++) {
      const before = inner.lists;
      expect(await cached.list(channel, { limit: 10, before: ids[30]! })).toStrictEqual(await inner.list(channel, { limit: 10, before: ids[30]! }));
      expect(inner.lists - before, "one read of the page, none of the window").toBe(2); // the page, and the comparison's own read
    }
    const before = inner.lists;
    await cached.list(channel, { limit: 10, before: ids[95]! });
    expect(inner.lists, "the window did not grow: it still answers its own pages").toBe(before);
  });

  test("a message inserted while the window grows is not lost from it", async () => {
    const { inner, cached } = setup({ windowSize: 20, windowCap: 1_000 });
    const channel = newChannel();
    const all = Array.from({ length: 60 }, (_, i) => message(channel, 10_000 + i * 60_000));
    for (const m of all) await cached.insert(m);
    const ids = all.map((m) => m.id).sort(byId);
    await cached.list(channel, { limit: 5 }); // the newest 20
    inner.gate.hold();
    const growing = cached.list(channel, { limit: 5, before: ids[40]! }); // at the window's bottom: it grows
    await settle();
    const late = message(channel, 10_000 + 25 * 60_000 + 1); // among the messages being read
    await cached.insert(late);
    inner.gate.release();
    await growing;
    const before = inner.lists;
    const page = await cached.list(channel, { limit: 10, before: ids[30]! });
    expect(inner.lists, "answered from the grown window").toBe(before);
    expect(page).toStrictEqual(await inner.list(channel, { limit: 10, before: ids[30]! }));
    expect(page.map((m) => m.id)).toContain(canonicalId(late.id));
  });

  test("a channel smaller than the window is answered whole from memory, empty pages included", async () => {
    const { inner, cached } = setup();
    const channel = newChannel();
    for (let i = 0; i < 30; i++) await cached.insert(message(channel, i * DAY));
    await cached.list(channel, { limit: 1 });
    const before = inner.lists;
    const queries: HistoryQuery[] = [{ limit: 100 }, { limit: 100, before: "1" }, { limit: 100, after: MAX_ID }, { limit: 5, after: "0" }, { limit: 100, before: MAX_ID }];
    const answers = [];
    for (const q of queries) answers.push(await cached.list(channel, q));
    expect(inner.lists).toBe(before);
    for (const [i, q] of queries.entries()) expect(answers[i]).toStrictEqual(await inner.list(channel, q));
  });

  test("messages inserted out of id order are listed in id order at once", async () => {
    const { inner, cached } = setup({ windowSize: 5, channels: 10 });
    const channel = newChannel();
    await cached.list(channel, { limit: 10 }); // an empty window
    for (const ms of [50, 10, 40, 20, 30, 60, 5, 45]) {
      await cached.insert(message(channel, ms * 1000));
      expect(await cached.list(channel, { limit: 5 })).toStrictEqual(await inner.list(channel, { limit: 5 }));
      expect(await cached.list(channel, { limit: 3, after: "0" })).toStrictEqual(await inner.list(channel, { limit: 3, after: "0" }));
    }
  });

  test("a message inserted while the window is being read is not lost from it", async () => {
    const { inner, cached } = setup();
    const channel = newChannel();
    await cached.insert(message(channel, 1000));
    inner.gate.hold();
    const slow = cached.list(channel, { limit: 10 });
    await settle(); // the load has read one message and is held back
    const late = message(channel, 2000);
    await cached.insert(late);
    inner.gate.release();
    expect((await slow).length).toBeGreaterThanOrEqual(1);
    expect((await cached.list(channel, { limit: 10 }))[0]?.id).toBe(late.id);
    expect(await cached.list(channel, { limit: 10 })).toStrictEqual(await inner.list(channel, { limit: 10 }));
  });

  test("a read that waits for a load also sees an insert that resolved before it asked", async () => {
    const { inner, cached } = setup();
    const channel = newChannel();
    inner.gate.hold();
    const first = cached.list(channel, { limit: 10 });
    await settle();
    const m = message(channel, 3000);
    await cached.insert(m);
    const second = cached.list(channel, { limit: 10 }); // joins the load in flight
    inner.gate.release();
    await first;
    expect((await second).map((x) => x.id)).toEqual([m.id]);
  });

  test("an insert that fails while the window is being read keeps that load from being trusted", async () => {
    const { inner, cached } = setup();
    const channel = newChannel();
    inner.gate.hold();
    const slow = cached.list(channel, { limit: 10 });
    await settle();
    await expect(cached.insert({ ...message(channel, 4000), serverId: "not a number, refused by the bigint cast" })).rejects.toThrow();
    inner.gate.release();
    expect(await slow).toEqual([]);
    const before = inner.lists;
    await cached.list(channel, { limit: 10 });
    expect(inner.lists).toBeGreaterThan(before); // read again from the store
  });

  test("an older page of a channel without a window is one store read: no window is read for it", async () => {
    const { inner, cached } = setup();
    const channel = newChannel();
    const [m1, m2] = [message(channel, 1000), message(channel, 2000)];
    for (const m of [m1, m2]) await cached.insert(m);
    const before = inner.lists;
    expect((await cached.list(channel, { limit: 10, before: m2.id })).map((m) => m.id)).toEqual([m1.id]);
    expect((await cached.list(channel, { limit: 10, after: "0" })).map((m) => m.id)).toEqual([m2.id, m1.id]);
    expect(inner.lists).toBe(before + 2);
    await cached.list(channel, { limit: 10 }); // the newest page reads the window
    await cached.list(channel, { limit: 10, after: "0" });
    expect(inner.lists).toBe(before + 3);
  });

  test("it keeps a bounded number of channels, forgetting the least recently read", async () => {
    const { inner, cached } = setup({ windowSize: 10, channels: 2 });
    const [a, b, c] = [newChannel(), newChannel(), newChannel()];
    for (const ch of [a, b, c]) await cached.insert(message(ch, 1000));
    await cached.list(a, { limit: 5 });
    await cached.list(b, { limit: 5 });
    await cached.list(a, { limit: 5 }); // b is now the least recently used
    await cached.list(c, { limit: 5 }); // so b goes
    const before = inner.lists;
    await cached.list(a, { limit: 5 });
    await cached.list(c, { limit: 5 });
    expect(inner.lists).toBe(before);
    await cached.list(b, { limit: 5 });
    expect(inner.lists).toBe(before + 1);
  });

  test("its windows stay within a memory budget, the least recently read going first", async () => {
    // Five 1,000-character messages are ~11.7 kB by the window's estimate: the budget holds two windows, not three.
    const { inner, cached } = setup({ windowSize: 10, channels: 100, budgetBytes: 30_000 });
    const [a, b, c] = [newChannel(), newChannel(), newChannel()];
    for (const ch of [a, b, c]) for (let i = 1; i <= 5; i++) await cached.insert({ ...message(ch, i * 1000), content: "x".repeat(1000) });
    await cached.list(a, { limit: 5 });
    await cached.list(b, { limit: 5 });
    await cached.list(c, { limit: 5 }); // over budget: a, the least recently read, goes
    const before = inner.lists;
    await cached.list(b, { limit: 5 });
    await cached.list(c, { limit: 5 });
    expect(inner.lists).toBe(before);
    expect((await cached.list(a, { limit: 5 })).length).toBe(5); // read again from the store
    expect(inner.lists).toBe(before + 1);
  });

  test("callers cannot change what it remembers", async () => {
    const { cached } = setup();
    const channel = newChannel();
    const m = message(channel, 1000);
    await cached.insert(m);
    const page = await cached.list(channel, { limit: 10 });
    expect(Object.isFrozen(page[0])).toBe(true);
    page.pop();
    m.content = "changed after insert";
    expect(await cached.list(channel, { limit: 10 })).toEqual([{ ...m, content: `m ${m.id}` }]);
  });

  test("ids are numbers: a send to a channel id with leading zeros reaches the channel's window", async () => {
    const { inner, cached } = setup();
    const channel = newChannel();
    await cached.list(channel, { limit: 10 });
    await cached.insert(message(`00${channel}`, 1000));
    expect(await cached.list(channel, { limit: 10 })).toStrictEqual(await inner.list(channel, { limit: 10 }));
    expect(await cached.list(channel, { limit: 10 })).toHaveLength(1);
  });
});
