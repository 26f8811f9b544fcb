// Paging through a long history over REST: `before` from the newest, `after` from the start,
// every message exactly once, pages newest first, cursors that are not message ids, limits.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Message } from "../../lib/domain/types";
import { snowflakeAt, timestampOf } from "../../lib/ids/snowflake";
import { apiClient, createServerAs, registerUser, type ApiClient, type TestUser } from "../support/api";
import { startServer, type ParleyServer } from "../support/server";
import { expectError, expectMessage } from "../support/shapes";

const DAY = 24 * 60 * 60 * 1000;
const OLD = 200; // six hours apart over fifty days: several ten-day buckets
const RECENT = 60; // made just now by the server's own id generator

let server: ParleyServer;
let api: ApiClient;
let owner: TestUser;
let channelId: string;
/** Every message id in the channel, oldest first. */
let ids: string[] = [];

beforeAll(async () => {
  server = await startServer();
  api = apiClient(server.url);
  owner = await registerUser(api);
  const guild = await createServerAs(api, owner);
  channelId = guild.channels[0]!.id;
  const seed = async (id: string, content: string) => {
    const createdAt = new Date(timestampOf(id)).toISOString();
    await server.deps.messages.insert({ id, channelId, serverId: guild.id, authorId: owner.user.id, content, createdAt });
    ids.push(id);
  };
  // Seeded through the store itself: the REST budget of 5 per second would make this slow.
  const start = Math.max(Date.UTC(2026, 0, 2), Date.now() - 60 * DAY);
  for (let i = 0; i < OLD; i++) await seed(snowflakeAt(start + i * 6 * 60 * 60 * 1000, 1, 0), `old ${i}`);
  for (let i = 0; i < RECENT; i++) await seed(server.deps.ids.next(), `recent ${i}`);
  // And the newest few through REST, like any client.
  for (let i = 0; i < 3; i++) {
    const res = await api.post<Message>(`/api/v1/channels/${channelId}/messages`, { content: `rest ${i}` }, owner.token);
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
});
afterAll(async () => {
  await server?.close();
});

const page = async (query: string): Promise<string[]> => {
  const res = await api.get<Message[]>(`/api/v1/channels/${channelId}/messages?${query}`, owner.token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  res.body.forEach((m) => expectMessage(m));
  return res.body.map((m) => m.id);
};
const newestFirst = (list: string[]) => [...list].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0));
/** `ids` index by index, newest first, from `from` (inclusive) down `count` steps. */
const downFrom = (from: number, count: number) => ids.slice(Math.max(0, from - count + 1), from + 1).reverse();

test("the seed is what the tests assume: more than 250 messages, in id order", () => {
  expect(ids.length).toBeGreaterThan(250);
  expect(new Set(ids).size).toBe(ids.length);
  expect(newestFirst(ids)).toEqual([...ids].reverse());
});

describe.each([1, 7, 50, 100])("with limit=%i", (limit) => {
  test("paging back with `before` from the newest returns every message once, each page newest first", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages <= ids.length + 1; pages++) {
      const got = await page(`limit=${limit}${cursor ? `&before=${cursor}` : ""}`);
      expect(got).toEqual(newestFirst(got));
      expect(got.length).toBeLessThanOrEqual(limit);
      if (got.length === 0) break;
      if (cursor) expect(BigInt(got[0]!) < BigInt(cursor)).toBe(true);
      seen.push(...got);
      cursor = got.at(-1);
    }
    expect(seen).toEqual([...ids].reverse());
  });

  test("paging forward with `after=0` returns every message once: the oldest `limit` newer ones, newest first", async () => {
    const seen: string[] = [];
    let cursor = "0";
    for (let pages = 0; pages <= ids.length + 1; pages++) {
      const got = await page(`limit=${limit}&after=${cursor}`);
      expect(got).toEqual(newestFirst(got));
      if (got.length === 0) break;
      const next = seen.length;
      expect(got).toEqual(downFrom(Math.min(next + limit, ids.length) - 1, Math.min(limit, ids.length - next)));
      seen.push(...[...got].reverse());
      cursor = got[0]!; // the newest id we hold: repeating from it fills the gap forward
    }
    expect(seen).toEqual(ids);
  });
});

describe("cursors", () => {
  test("`after` a message gives the oldest newer ones; `before` it the newest older ones; both exclusive", async () => {
    const k = 120;
    expect(await page(`after=${ids[k]}&limit=5`)).toEqual(downFrom(k + 5, 5));
    expect(await page(`before=${ids[k]}&limit=5`)).toEqual(downFrom(k - 1, 5));
  });

  test("a cursor that is no message's id works like one between its neighbours", async () => {
    const k = 50; // an old message: made by worker 1 with sequence 0, so id ± 1 exists nowhere
    const above = (BigInt(ids[k]!) + 1n).toString();
    const below = (BigInt(ids[k]!) - 1n).toString();
    expect(ids).not.toContain(above);
    expect(ids).not.toContain(below);
    expect(await page(`before=${above}&limit=3`)).toEqual(downFrom(k, 3));
    expect(await page(`after=${below}&limit=3`)).toEqual(downFrom(k + 2, 3));
  });

  test("a cursor in the quiet days between old and recent messages", async () => {
    const quiet = snowflakeAt(Date.now() - 5 * DAY);
    expect(await page(`before=${quiet}&limit=2`)).toEqual(downFrom(OLD - 1, 2));
    expect(await page(`after=${quiet}&limit=2`)).toEqual(downFrom(OLD + 1, 2));
  });

  test("the extreme well-formed cursors", async () => {
    const MAX = "9223372036854775807";
    expect(await page(`before=${MAX}`)).toEqual(downFrom(ids.length - 1, 50));
    expect(await page(`after=${MAX}`)).toEqual([]);
    expect(await page("before=0")).toEqual([]);
    expect(await page("after=0")).toEqual(downFrom(49, 50));
    expect(await page(`before=${ids[0]}`)).toEqual([]);
    expect(await page(`after=${ids.at(-1)}`)).toEqual([]);
  });
});

describe("limits", () => {
  test("the default page is the 50 newest messages", async () => {
    expect(await page("")).toEqual(downFrom(ids.length - 1, 50));
  });

  test.each([1, 100])("limit=%i is accepted", async (limit) => {
    expect(await page(`limit=${limit}`)).toHaveLength(limit);
  });

  test.each(["0", "101", "-1", "1.5", "abc", "", "1e2"])("limit=%j is 400", async (limit) => {
    const res = await api.get(`/api/v1/channels/${channelId}/messages?limit=${limit}`, owner.token);
    expectError(res, 400, "VALIDATION_FAILED");
  });

  test("`before` and `after` together are 400", async () => {
    const res = await api.get(`/api/v1/channels/${channelId}/messages?before=${ids[10]}&after=${ids[5]}`, owner.token);
    expectError(res, 400, "VALIDATION_FAILED");
  });
});
