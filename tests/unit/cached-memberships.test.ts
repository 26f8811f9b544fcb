// The membership answers of CachedMetadataStore ({ memberships: true }) over the real embedded
// database: remembered, yet exactly what the store holds once any write has resolved, even
// when a slow read races a write.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CachedMetadataStore } from "../../lib/adapters/cache/cached-metadata-store";
import { openDatabase, type Database } from "../../lib/adapters/db/client";
import { DrizzleMetadataStore } from "../../lib/adapters/db/metadata-store";
import type { Server, User } from "../../lib/domain/types";
import { MIGRATIONS, uniqueIds } from "../contract/databases";
import { Gate } from "../support/gate";

/** The real store, counting isMember reads and able to hold their answers back (a slow read). */
class SlowableStore extends DrizzleMetadataStore {
  reads = 0;
  readonly gate = new Gate();
  override async isMember(serverId: string, userId: string): Promise<boolean> {
    this.reads++;
    const answer = await super.isMember(serverId, userId);
    await this.gate.pass();
    return answer;
  }
  idReads = 0;
  override async listServerIdsOf(userId: string): Promise<string[]> {
    this.idReads++;
    return super.listServerIdsOf(userId);
  }
  override async listServersOf(userId: string): Promise<Server[]> {
    const servers = await super.listServersOf(userId);
    await this.gate.pass();
    return servers;
  }
}

let database: Database;
const ids = uniqueIds();
beforeAll(async () => {
  database = await openDatabase({ kind: "pglite", dataDir: "memory://" }, MIGRATIONS);
});
afterAll(async () => {
  await database?.close();
});

function setup(limit = 1000) {
  const inner = new SlowableStore(database.db);
  const cache = new CachedMetadataStore(inner, { memberships: true, limits: { channels: 100, users: 100, memberships: limit } });
  const newUser = async (): Promise<User> => (await inner.createUser({ id: ids.next(), username: `m${ids.next()}`.slice(0, 32), displayName: "M", passwordHash: "h" }))!;
  const newServer = async (owner: User): Promise<Server> =>
    cache.createServer({ server: { id: ids.next(), name: "S", ownerId: owner.id }, generalChannel: { id: ids.next(), name: "general" }, joinedAt: new Date() });
  return { inner, cache, newUser, newServer };
}
/** Lets every pending callback (and PGlite's own queue) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("CachedMetadataStore with memberships", () => {
  test("a user's server ids just after their servers were read need no query, until any membership write", async () => {
    const { inner, cache, newUser, newServer } = setup();
    const [owner, other] = [await newUser(), await newUser()];
    const first = await newServer(owner);
    const withSizes = await cache.listServersWithSizesOf(owner.id);
    expect(withSizes.map((s) => [s.server.id, s.memberCount])).toEqual([[first.id, 1]]);
    const before = inner.idReads;
    expect(await cache.listServerIdsOf(owner.id)).toEqual([first.id]);
    expect(await cache.listServerIdsOf(owner.id)).toEqual([first.id]);
    expect(inner.idReads - before, "answered from the list just read").toBe(0);
    // Any membership write (here another user's) and the next look reads the store, and is exact.
    const second = await newServer(other);
    await cache.addMember(second.id, owner.id, new Date());
    expect(await cache.listServerIdsOf(owner.id)).toEqual([first.id, second.id]);
    expect(inner.idReads - before).toBe(1);
    await cache.removeMember(second.id, owner.id);
    expect(await cache.listServerIdsOf(owner.id)).toEqual([first.id]);
    expect(inner.idReads - before).toBe(2);
  });

  test("answers, yes and no, are remembered: the store is asked once per pair", async () => {
    const { inner, cache, newUser, newServer } = setup();
    const owner = await newUser();
    const stranger = await newUser();
    const server = await newServer(owner);
    const before = inner.reads;
    for (let i = 0; i < 3; i++) {
      expect(await cache.isMember(server.id, owner.id)).toBe(true);
      expect(await cache.isMember(server.id, stranger.id)).toBe(false);
    }
    expect(inner.reads - before).toBe(1); // the owner's "yes" came with createServer
  });

  test("a join and a leave change the remembered answer before they resolve", async () => {
    const { cache, newUser, newServer } = setup();
    const server = await newServer(await newUser());
    const user = await newUser();
    expect(await cache.isMember(server.id, user.id)).toBe(false);
    await cache.addMember(server.id, user.id, new Date());
    expect(await cache.isMember(server.id, user.id)).toBe(true);
    await cache.removeMember(server.id, user.id);
    expect(await cache.isMember(server.id, user.id)).toBe(false);
    await cache.addMember(server.id, user.id, new Date());
    expect(await cache.isMember(server.id, user.id)).toBe(true);
  });

  test("ids are numbers: a leave through a server id with leading zeros reaches the remembered yes", async () => {
    const { cache, newUser, newServer } = setup();
    const server = await newServer(await newUser());
    const user = await newUser();
    await cache.addMember(server.id, user.id, new Date());
    expect(await cache.isMember(server.id, user.id)).toBe(true);
    expect(await cache.removeMember(`00${server.id}`, user.id)).toBe(true);
    expect(await cache.isMember(server.id, user.id)).toBe(false);
  });

  test("a slow read that saw a member does not bring the membership back after the leave resolved", async () => {
    const { inner, cache, newUser, newServer } = setup();
    const server = await newServer(await newUser());
    const user = await newUser();
    await inner.addMember(server.id, user.id, new Date()); // behind the cache's back: nothing remembered yet
    inner.gate.hold();
    const slow = cache.isMember(server.id, user.id);
    await settle(); // the slow read has its "yes" from the store, held back
    expect(await cache.removeMember(server.id, user.id)).toBe(true);
    inner.gate.release();
    expect(await slow).toBe(true); // it overlapped the leave: either answer was fair
    expect(await cache.isMember(server.id, user.id)).toBe(false);
    expect(await inner.isMember(server.id, user.id)).toBe(false);
  });

  test("a slow read that saw no member does not hide a join that resolved meanwhile", async () => {
    const { inner, cache, newUser, newServer } = setup();
    const server = await newServer(await newUser());
    const user = await newUser();
    inner.gate.hold();
    const slow = cache.isMember(server.id, user.id);
    await settle();
    await cache.addMember(server.id, user.id, new Date());
    inner.gate.release();
    expect(await slow).toBe(false);
    expect(await cache.isMember(server.id, user.id)).toBe(true);
  });

  test("overlapping joins and leaves of one pair leave exactly the store's answer", async () => {
    const { inner, cache, newUser, newServer } = setup();
    const server = await newServer(await newUser());
    const user = await newUser();
    for (let round = 0; round < 20; round++) {
      const writes = [0, 1, 2].map((i) => ((round >> i) & 1 ? cache.addMember(server.id, user.id, new Date()) : cache.removeMember(server.id, user.id)));
      await Promise.all(writes);
      expect(await cache.isMember(server.id, user.id)).toBe(await inner.isMember(server.id, user.id));
    }
  });

  test("a remembered no for a pair turns yes when createServer makes that user the owner", async () => {
    const { cache, newUser } = setup();
    const owner = await newUser();
    const serverId = ids.next();
    expect(await cache.isMember(serverId, owner.id)).toBe(false);
    await cache.createServer({ server: { id: serverId, name: "Late", ownerId: owner.id }, generalChannel: { id: ids.next(), name: "general" }, joinedAt: new Date() });
    expect(await cache.isMember(serverId, owner.id)).toBe(true);
  });

  test("a write that fails forgets the pair, and the next read asks the store", async () => {
    const { inner, cache, newUser, newServer } = setup();
    const owner = await newUser();
    const existing = await newServer(owner);
    const serverId = ids.next();
    expect(await cache.isMember(serverId, owner.id)).toBe(false);
    const clash = { server: { id: serverId, name: "Doomed", ownerId: owner.id }, generalChannel: { id: existing.channels[0]!.id, name: "general" }, joinedAt: new Date() };
    await expect(cache.createServer(clash)).rejects.toThrow();
    const before = inner.reads;
    expect(await cache.isMember(serverId, owner.id)).toBe(false);
    expect(inner.reads).toBe(before + 1);
  });

  test("listing a user's servers (as every gateway connect does) remembers a yes for each of them", async () => {
    const { inner, cache, newUser, newServer } = setup();
    const owner = await newUser();
    const [first, second] = [await newServer(owner), await newServer(owner)];
    const user = await newUser();
    await inner.addMember(first.id, user.id, new Date()); // behind the cache's back
    await inner.addMember(second.id, user.id, new Date());
    expect((await cache.listServersOf(user.id)).map((s) => s.id).sort()).toEqual([first.id, second.id].sort());
    expect((await cache.listServerIdsOf(user.id)).sort()).toEqual([first.id, second.id].sort());
    const before = inner.reads;
    expect(await cache.isMember(first.id, user.id)).toBe(true);
    expect(await cache.isMember(second.id, user.id)).toBe(true);
    expect(inner.reads).toBe(before);
  });

  test("a slow server list that saw a membership does not bring it back after the leave resolved", async () => {
    const { inner, cache, newUser, newServer } = setup();
    const server = await newServer(await newUser());
    const user = await newUser();
    await inner.addMember(server.id, user.id, new Date());
    inner.gate.hold();
    const slow = cache.listServersOf(user.id);
    await settle();
    expect(await cache.removeMember(server.id, user.id)).toBe(true);
    inner.gate.release();
    expect((await slow).map((s) => s.id)).toEqual([server.id]);
    expect(await cache.isMember(server.id, user.id)).toBe(false);
  });

  test("only a bounded number of answers is remembered", async () => {
    const { inner, cache, newUser, newServer } = setup(2);
    const server = await newServer(await newUser());
    const users = [await newUser(), await newUser(), await newUser()];
    for (const u of users) await cache.isMember(server.id, u.id);
    const before = inner.reads;
    await cache.isMember(server.id, users[2]!.id);
    expect(inner.reads).toBe(before);
    await cache.isMember(server.id, users[0]!.id); // forgotten: the least recently used of three
    expect(inner.reads).toBe(before + 1);
  });

  test("without the option nothing is remembered: a write by another node is seen at once", async () => {
    const inner = new DrizzleMetadataStore(database.db);
    const cache = new CachedMetadataStore(inner);
    const { newUser, newServer } = setup();
    const server = await newServer(await newUser());
    const user = await newUser();
    expect(await cache.isMember(server.id, user.id)).toBe(false);
    await inner.addMember(server.id, user.id, new Date());
    expect(await cache.isMember(server.id, user.id)).toBe(true);
  });
});
