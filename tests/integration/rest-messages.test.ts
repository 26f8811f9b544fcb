// Sending messages over REST: the message object, idempotent nonces, trimming and the length
// limit, and read-after-write for the author and everyone else.
import { describe, expect, test } from "vitest";
import type { Message } from "../../lib/domain/types";
import { apiClient, createServerAs, joinServer, registerUser, type ApiClient, type TestUser } from "../support/api";
import { serverForThisFile, type ParleyServer } from "../support/server";
import { expectError, expectFreshSnowflake, expectMessage } from "../support/shapes";

let server: ParleyServer;
let api: ApiClient;
serverForThisFile((started) => {
  server = started;
  api = apiClient(started.url);
});

/** An owner and a member sharing a server with two channels; fresh for every test (own budgets). */
async function room() {
  const [owner, member] = await Promise.all([registerUser(api), registerUser(api)]);
  const guild = await createServerAs(api, owner, "Room");
  const second = (await api.post(`/api/v1/servers/${guild.id}/channels`, { name: "second" }, owner.token)).body;
  await joinServer(api, guild, owner, member);
  return { owner, member, guild, general: guild.channels[0]!, second };
}

const send = (channelId: string, user: TestUser, body: Record<string, unknown>) => api.post<Message>(`/api/v1/channels/${channelId}/messages`, body, user.token);
const history = async (channelId: string, user: TestUser, query = "limit=100") => {
  const res = await api.get<Message[]>(`/api/v1/channels/${channelId}/messages?${query}`, user.token);
  expect(res.status).toBe(200);
  return res.body;
};

describe("sending", () => {
  test("answers 201 with the stored message, the author hydrated and the nonce echoed", async () => {
    const { member, guild, general } = await room();
    const before = Date.now();
    const res = await send(general.id, member, { content: "hello there", nonce: "n-1_A" });
    expect(res.status).toBe(201);
    expectMessage(res.body, { nonce: true });
    expectFreshSnowflake(res.body.id);
    expect(res.body).toMatchObject({ channelId: general.id, serverId: guild.id, author: member.user, content: "hello there", nonce: "n-1_A" });
    const created = Date.parse(res.body.createdAt);
    expect(created).toBeGreaterThanOrEqual(before - 1_000);
    expect(created).toBeLessThanOrEqual(Date.now() + 1_000);
  });

  test("without a nonce the message has no nonce field", async () => {
    const { member, general } = await room();
    const res = await send(general.id, member, { content: "no nonce" });
    expect(res.status).toBe(201);
    expectMessage(res.body, { nonce: false });
  });

  test("content is stored trimmed", async () => {
    const { member, general } = await room();
    const res = await send(general.id, member, { content: "\n  spaced out \t " });
    expect(res.body.content).toBe("spaced out");
    expect((await history(general.id, member))[0]!.content).toBe("spaced out");
  });

  test("2000 code points of emoji are stored intact", async () => {
    const { member, general } = await room();
    const content = "👍🏽".repeat(1000); // 2 code points each
    expect([...content]).toHaveLength(2000);
    expect((await send(general.id, member, { content })).status).toBe(201);
    expect((await history(general.id, member))[0]!.content).toBe(content);
    expectError(await send(general.id, member, { content: content + "!" }), 400, "VALIDATION_FAILED");
  });

  test("every member may send, and the message's author is the sender", async () => {
    const { owner, member, general } = await room();
    const a = await send(general.id, owner, { content: "from owner" });
    const b = await send(general.id, member, { content: "from member" });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.author).toEqual(owner.user);
    expect(b.body.author).toEqual(member.user);
    expect(BigInt(b.body.id) > BigInt(a.body.id)).toBe(true);
  });

  test("the channel is the one in the path: ids in the body cannot redirect a message", async () => {
    const { member, guild, general } = await room();
    const elsewhere = await registerUser(api);
    const other = await createServerAs(api, elsewhere);
    const res = await send(general.id, member, { content: "stay here", channelId: other.channels[0]!.id, serverId: other.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ channelId: general.id, serverId: guild.id });
    expect(await history(other.channels[0]!.id, elsewhere)).toEqual([]);
  });
});

describe("idempotency with a nonce", () => {
  test("the same user repeating a nonce in the same channel gets 200 and the original message", async () => {
    const { member, general } = await room();
    const first = await send(general.id, member, { content: "once", nonce: "retry-me" });
    const again = await send(general.id, member, { content: "once", nonce: "retry-me" });
    const changed = await send(general.id, member, { content: "different text", nonce: "retry-me" });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual(first.body);
    const stored = (await history(general.id, member)).filter((m) => m.author.id === member.user.id);
    expect(stored.map((m) => m.id)).toEqual([first.body.id]);
  });

  test("concurrent repeats of one nonce store one message and all get it", async () => {
    const { member, general } = await room();
    const answers = await Promise.all([1, 2, 3].map(() => send(general.id, member, { content: "racing", nonce: "race" })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await history(general.id, member)).filter((m) => m.content === "racing")).toHaveLength(1);
  });

  test("another user with the same nonce sends a new message", async () => {
    const { owner, member, general } = await room();
    const mine = await send(general.id, member, { content: "mine", nonce: "shared" });
    const theirs = await send(general.id, owner, { content: "theirs", nonce: "shared" });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body).toMatchObject({ author: owner.user, content: "theirs", nonce: "shared" });
  });

  test("the same nonce in another channel sends a new message", async () => {
    const { member, general, second } = await room();
    const here = await send(general.id, member, { content: "here", nonce: "n" });
    const there = await send(second.id, member, { content: "there", nonce: "n" });
    expect([here.status, there.status]).toEqual([201, 201]);
    expect(there.body).toMatchObject({ channelId: second.id, content: "there" });
    expect((await history(second.id, member)).map((m) => m.id)).toEqual([there.body.id]);
  });

  test("a repeat is answered with the original even when the sender is at the rate limit", async () => {
    const { member, general } = await room();
    const first = await send(general.id, member, { content: "keep me", nonce: "k" });
    for (let i = 0; i < 4; i++) await send(general.id, member, { content: `filler ${i}` });
    const repeat = await send(general.id, member, { content: "keep me", nonce: "k" });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
  });
});

describe("read-after-write", () => {
  test("a message is in history for its author and other members as soon as the POST answers", async () => {
    const { owner, member, general } = await room();
    for (let i = 0; i < 5; i++) {
      const sent = await send(general.id, member, { content: `visible ${i}` });
      expect(sent.status).toBe(201);
      const [authorView, ownerView] = await Promise.all([history(general.id, member, "limit=1"), history(general.id, owner, "limit=1")]);
      expect(authorView.map((m) => m.id)).toEqual([sent.body.id]);
      expect(ownerView[0]).toMatchObject({ id: sent.body.id, content: `visible ${i}`, author: member.user, channelId: general.id });
      expectMessage(ownerView[0]);
    }
  });

  test("history shows each message as it was sent, newest first", async () => {
    const { owner, member, general } = await room();
    const sent = [];
    for (const [user, content] of [[owner, "one"], [member, "two"], [owner, "three"]] as const) sent.push((await send(general.id, user, { content })).body);
    const listed = await history(general.id, member);
    expect(listed.map((m) => m.content)).toEqual(["three", "two", "one"]);
    for (const m of listed) {
      const original = sent.find((s) => s.id === m.id)!;
      const { nonce: _nonce, ...withoutNonce } = m;
      const { nonce: _n, ...originalWithoutNonce } = original;
      expect(withoutNonce).toEqual(originalWithoutNonce);
    }
  });
});
