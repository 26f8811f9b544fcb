// The MetadataStore contract: users, servers, channels, memberships and invites. Every test
// makes its own users and servers with fresh ids, so a shared database is fine.
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { User } from "../../lib/domain/types";
import type { MetadataStore } from "../../lib/ports/metadata-store";
import { uniqueIds } from "./databases";

export interface MetadataStoreHandle {
  store: MetadataStore;
  close(): Promise<void>;
}

export function describeMetadataStoreContract(name: string, open: () => Promise<MetadataStoreHandle>): void {
  describe(`MetadataStore contract: ${name}`, () => {
    let handle: MetadataStoreHandle;
    let store: MetadataStore;
    const ids = uniqueIds();
    beforeAll(async () => {
      handle = await open();
      store = handle.store;
    });
    afterAll(async () => {
      await handle?.close();
    });

    let n = 0;
    const username = () => `u${ids.next()}_${++n}`.slice(0, 32);
    const newUser = async (id = ids.next()): Promise<User> => {
      const user = await store.createUser({ id, username: username(), displayName: "Someone", passwordHash: "hash" });
      expect(user).not.toBeNull();
      return user!;
    };
    const newServer = async (owner: User, joinedAt = new Date()) =>
      store.createServer({ server: { id: ids.next(), name: "S", ownerId: owner.id }, generalChannel: { id: ids.next(), name: "general" }, joinedAt });

    test("a created user is found by id and by username, with the hash only in the record", async () => {
      const id = ids.next();
      const name = username();
      const user = await store.createUser({ id, username: name, displayName: "Ada 😀", passwordHash: "$argon2id$x" });
      expect(user).toEqual({ id, username: name, displayName: "Ada 😀" });
      expect(await store.getUser(id)).toEqual(user);
      expect(await store.findUserByUsername(name)).toEqual({ ...user, passwordHash: "$argon2id$x" });
      expect(await store.findUserByUsername(`${name}x`)).toBeNull();
      expect(await store.getUser(ids.next())).toBeNull();
    });

    test("a new password hash replaces the old one for that user only; an unknown user is reported", async () => {
      const [a, b] = [await newUser(), await newUser()];
      expect(await store.setPasswordHash(a.id, "$argon2id$new")).toBe(true);
      expect((await store.findUserByUsername(a.username))?.passwordHash).toBe("$argon2id$new");
      expect((await store.findUserByUsername(b.username))?.passwordHash).toBe("hash");
      expect(await store.setPasswordHash(ids.next(), "h")).toBe(false);
    });

    test("getUsers answers the known ids once each and leaves out the unknown", async () => {
      const [a, b] = [await newUser(), await newUser()];
      const found = await store.getUsers([a.id, b.id, a.id, ids.next()]);
      expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
      expect(found.get(a.id)).toEqual(a);
      expect((await store.getUsers([])).size).toBe(0);
    });

    test("usernames are unique: a second user with a taken name is refused, the first kept", async () => {
      const name = username();
      const first = await store.createUser({ id: ids.next(), username: name, displayName: "First", passwordHash: "h1" });
      const second = await store.createUser({ id: ids.next(), username: name, displayName: "Second", passwordHash: "h2" });
      expect(second).toBeNull();
      expect(await store.findUserByUsername(name)).toMatchObject({ id: first!.id, displayName: "First" });
    });

    test("of concurrent registrations of one name, exactly one wins", async () => {
      const name = username();
      const results = await Promise.all(Array.from({ length: 5 }, () => store.createUser({ id: ids.next(), username: name, displayName: "x", passwordHash: "h" })));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    test("createServer makes the server, the owner's membership and #general at position 0 together", async () => {
      const owner = await newUser();
      const joinedAt = new Date(Date.now() - 5_000);
      const server = await newServer(owner, joinedAt);
      expect(server.channels).toEqual([{ id: expect.any(String), serverId: server.id, name: "general", type: "text", position: 0 }]);
      expect(await store.getServer(server.id)).toEqual(server);
      expect(await store.getChannel(server.channels[0]!.id)).toEqual(server.channels[0]);
      expect(await store.isMember(server.id, owner.id)).toBe(true);
      expect(await store.countMembers(server.id)).toBe(1);
      expect(await store.listMembers(server.id, { limit: 10 })).toEqual([{ user: owner, joinedAt: joinedAt.toISOString() }]);
      expect(await store.listServersOf(owner.id)).toEqual([server]);
      expect(await store.listServerIdsOf(owner.id)).toEqual([server.id]);
    });

    test("createServer is atomic: when its channel cannot be made, no server or membership remains", async () => {
      const owner = await newUser();
      const existing = await newServer(owner);
      const serverId = ids.next();
      const clash = { server: { id: serverId, name: "Doomed", ownerId: owner.id }, generalChannel: { id: existing.channels[0]!.id, name: "general" }, joinedAt: new Date() };
      await expect(store.createServer(clash)).rejects.toThrow();
      expect(await store.getServer(serverId)).toBeNull();
      expect(await store.isMember(serverId, owner.id)).toBe(false);
      expect(await store.listServerIdsOf(owner.id)).toEqual([existing.id]);
    });

    test("channels are appended after the last one, and listed by position", async () => {
      const server = await newServer(await newUser());
      const made = [];
      for (const name of ["two", "three", "four"]) made.push(await store.createChannel({ id: ids.next(), serverId: server.id, name }));
      expect(made.map((c) => [c.name, c.position, c.serverId, c.type])).toEqual([["two", 1, server.id, "text"], ["three", 2, server.id, "text"], ["four", 3, server.id, "text"]]);
      expect((await store.getServer(server.id))!.channels.map((c) => c.name)).toEqual(["general", "two", "three", "four"]);
      expect(await store.getChannel(ids.next())).toBeNull();
    });

    test("channels created at the same moment still get distinct positions", async () => {
      const server = await newServer(await newUser());
      const made = await Promise.all(Array.from({ length: 8 }, (_, i) => store.createChannel({ id: ids.next(), serverId: server.id, name: `c${i}` })));
      expect(made.map((c) => c.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect((await store.getServer(server.id))!.channels.map((c) => c.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    });

    test("addMember is idempotent: the second call adds nothing and keeps the first joinedAt", async () => {
      const server = await newServer(await newUser());
      const user = await newUser();
      const first = await store.addMember(server.id, user.id, new Date("2026-03-01T10:00:00.000Z"));
      const again = await store.addMember(server.id, user.id, new Date("2026-04-01T10:00:00.000Z"));
      expect(first).toEqual({ added: true, membership: { user, joinedAt: "2026-03-01T10:00:00.000Z" } });
      expect(again).toEqual({ added: false, membership: { user, joinedAt: "2026-03-01T10:00:00.000Z" } });
      expect(await store.countMembers(server.id)).toBe(2);
    });

    test("of concurrent joins by one user, exactly one adds", async () => {
      const server = await newServer(await newUser());
      const user = await newUser();
      const results = await Promise.all(Array.from({ length: 5 }, () => store.addMember(server.id, user.id, new Date())));
      expect(results.filter((r) => r.added)).toHaveLength(1);
      expect(await store.countMembers(server.id)).toBe(2);
    });

    test("the member count stays exact through concurrent joins and leaves, and listServerSizesOf gives each of a user's servers with it", async () => {
      const owner = await newUser();
      const [big, small] = [await newServer(owner), await newServer(owner)];
      const users = await Promise.all(Array.from({ length: 12 }, () => newUser()));
      await Promise.all(users.map((u) => store.addMember(big.id, u.id, new Date())));
      await Promise.all([...users.slice(0, 5).map((u) => store.removeMember(big.id, u.id)), ...users.slice(0, 5).map((u) => store.removeMember(big.id, u.id))]);
      expect(await store.countMembers(big.id)).toBe(1 + 12 - 5);
      await store.addMember(small.id, users[11]!.id, new Date());
      const sizes = await store.listServerSizesOf(users[11]!.id);
      expect(sizes.sort((x, y) => x.memberCount - y.memberCount)).toEqual([
        { serverId: small.id, memberCount: 2 },
        { serverId: big.id, memberCount: 8 },
      ]);
      expect(await store.listServerSizesOf(users[0]!.id)).toEqual([]);
    });

    test("removeMember removes once, and the server leaves the user's lists", async () => {
      const server = await newServer(await newUser());
      const user = await newUser();
      await store.addMember(server.id, user.id, new Date());
      expect(await store.removeMember(server.id, user.id)).toBe(true);
      expect(await store.removeMember(server.id, user.id)).toBe(false);
      expect(await store.isMember(server.id, user.id)).toBe(false);
      expect(await store.countMembers(server.id)).toBe(1);
      expect(await store.listServersOf(user.id)).toEqual([]);
      expect(await store.listServerIdsOf(user.id)).toEqual([]);
    });

    test("listMembers pages by numeric user id, strictly after `after`", async () => {
      const owner = await newUser();
      const server = await newServer(owner);
      // Ids of different lengths: ordering must be numeric, not by the decimal string.
      const others = [await newUser(String(randomInt(10_000, 999_999))), await newUser(String(randomInt(100_000_000, 999_999_999))), await newUser(), await newUser()];
      for (const u of others) await store.addMember(server.id, u.id, new Date());
      const expected = [owner, ...others].map((u) => u.id).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      expect((await store.listMembers(server.id, { limit: 100 })).map((m) => m.user.id)).toEqual(expected);
      const paged: string[] = [];
      for (let after: string | undefined; ; ) {
        const page = await store.listMembers(server.id, { limit: 2, after });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(2);
        paged.push(...page.map((m) => m.user.id));
        after = page.at(-1)!.user.id;
      }
      expect(paged).toEqual(expected);
      const between = (BigInt(expected[1]!) + 1n).toString();
      expect((await store.listMembers(server.id, { limit: 100, after: between })).map((m) => m.user.id)).toEqual(expected.slice(2));
      expect(await store.listMembers(server.id, { limit: 1, after: "0" })).toHaveLength(1);
    });

    test("listServersOf gives exactly the user's servers, each with its channels in order", async () => {
      const [ada, bob] = [await newUser(), await newUser()];
      const mine = await newServer(ada);
      const theirs = await newServer(bob);
      const notMine = await newServer(bob);
      await store.createChannel({ id: ids.next(), serverId: theirs.id, name: "extra" });
      await store.addMember(theirs.id, ada.id, new Date());
      const listed = await store.listServersOf(ada.id);
      expect(listed.map((s) => s.id).sort()).toEqual([mine.id, theirs.id].sort());
      expect(listed.find((s) => s.id === theirs.id)!.channels.map((c) => [c.name, c.position])).toEqual([["general", 0], ["extra", 1]]);
      expect((await store.listServerIdsOf(ada.id)).sort()).toEqual([mine.id, theirs.id].sort());
      expect(listed.map((s) => s.id)).not.toContain(notMine.id);
      // The same servers, in the same order, with their member counts, in one read.
      const withSizes = await store.listServersWithSizesOf(ada.id);
      expect(withSizes.map((s) => s.server)).toEqual(listed);
      expect(Object.fromEntries(withSizes.map((s) => [s.server.id, s.memberCount]))).toEqual({ [mine.id]: 1, [theirs.id]: 2 });
      expect(listed.map((s) => s.id), "in the order joined").toEqual([mine.id, theirs.id]);
    });

    test("lookups by a text with a NUL (which no stored text can hold) find nothing, and do not fail", async () => {
      expect(await store.findUserByUsername("ali\u0000ce")).toBeNull();
      expect(await store.findInviteServerId("abc\u0000def")).toBeNull();
    });

    test("invites lead to their server; unknown codes, in any letter case, lead nowhere", async () => {
      const owner = await newUser();
      const server = await newServer(owner);
      const code = `Inv${ids.next()}`;
      await store.createInvite({ code, serverId: server.id, creatorId: owner.id });
      expect(await store.findInviteServerId(code)).toBe(server.id);
      expect(await store.findInviteServerId(code.toLowerCase())).toBeNull();
      expect(await store.findInviteServerId(`${code}x`)).toBeNull();
    });

    test("ping resolves while the store can serve", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
