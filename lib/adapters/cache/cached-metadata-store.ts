// A MetadataStore that remembers channels and users, the two lookups on every send, every
// history read and every REST authentication (each one a database round trip otherwise).
// Sound because the API never changes or deletes a channel or a user once created; only
// found rows are remembered, so something created a moment ago (on any node) is read from
// the store on first use. Servers and invites are never cached. Memberships change, so they
// are remembered only on request (`memberships: true`), where this process makes every
// membership write (see MembershipCache).
import type { Channel, Server, User } from "../../domain/types";
import type { Snowflake } from "../../ids/snowflake";
import type { MembershipRecord, MetadataStore, NewServer, ServerSize, ServerWithSize, UserRecord } from "../../ports/metadata-store";
import { BoundedMap } from "./bounded-map";
import { MembershipCache } from "./membership-cache";

export interface MetadataCacheOptions {
  /** Remember isMember answers too: only where this process is the database's only writer. */
  memberships?: boolean;
  limits?: { channels: number; users: number; memberships: number };
}

const DEFAULT_LIMITS = { channels: 50_000, users: 100_000, memberships: 200_000 };

export class CachedMetadataStore implements MetadataStore {
  private readonly channels: BoundedMap<Snowflake, Channel>;
  private readonly users: BoundedMap<Snowflake, User>;
  private readonly memberships?: MembershipCache;

  constructor(
    private readonly inner: MetadataStore,
    { memberships = false, limits = DEFAULT_LIMITS }: MetadataCacheOptions = {},
  ) {
    this.channels = new BoundedMap(limits.channels);
    this.users = new BoundedMap(limits.users);
    if (memberships) this.memberships = new MembershipCache(limits.memberships);
  }

  async getChannel(id: Snowflake): Promise<Channel | null> {
    const cached = this.channels.get(id);
    if (cached) return cached;
    const channel = await this.inner.getChannel(id);
    if (channel) this.channels.set(id, channel);
    return channel;
  }

  async getUser(id: Snowflake): Promise<User | null> {
    return (await this.getUsers([id])).get(id) ?? null;
  }

  async getUsers(ids: Snowflake[]): Promise<Map<Snowflake, User>> {
    const found = new Map<Snowflake, User>();
    const missing: Snowflake[] = [];
    for (const id of ids) {
      const cached = this.users.get(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const [id, user] of await this.inner.getUsers(missing)) {
        this.users.set(id, user);
        found.set(id, user);
      }
    }
    return found;
  }

  async createUser(user: UserRecord): Promise<User | null> {
    return this.inner.createUser(user);
  }
  findUserByUsername(username: string): Promise<UserRecord | null> {
    return this.inner.findUserByUsername(username);
  }
  setPasswordHash(userId: Snowflake, passwordHash: string): Promise<boolean> {
    return this.inner.setPasswordHash(userId, passwordHash);
  }
  createServer(input: NewServer): Promise<Server> {
    // It makes the owner a member: a "no" remembered for that pair (however unlikely) must go.
    const create = () => this.inner.createServer(input);
    return this.memberships ? this.memberships.write(input.server.id, input.server.ownerId, true, create) : create();
  }
  getServer(id: Snowflake): Promise<Server | null> {
    return this.inner.getServer(id);
  }
  listServersOf(userId: Snowflake): Promise<Server[]> {
    const load = () => this.inner.listServersOf(userId);
    return this.memberships ? this.memberships.readServersOf(userId, load, (server) => server.id) : load();
  }
  listServersWithSizesOf(userId: Snowflake): Promise<ServerWithSize[]> {
    const load = () => this.inner.listServersWithSizesOf(userId);
    return this.memberships ? this.memberships.readServersOf(userId, load, (s) => s.server.id) : load();
  }
  listServerIdsOf(userId: Snowflake): Promise<Snowflake[]> {
    const load = () => this.inner.listServerIdsOf(userId);
    return this.memberships ? this.memberships.serverIdsOf(userId, load) : load();
  }
  createChannel(input: { id: Snowflake; serverId: Snowflake; name: string }): Promise<Channel> {
    return this.inner.createChannel(input);
  }
  createInvite(input: { code: string; serverId: Snowflake; creatorId: Snowflake }): Promise<void> {
    return this.inner.createInvite(input);
  }
  findInviteServerId(code: string): Promise<Snowflake | null> {
    return this.inner.findInviteServerId(code);
  }
  isMember(serverId: Snowflake, userId: Snowflake): Promise<boolean> {
    const load = () => this.inner.isMember(serverId, userId);
    return this.memberships ? this.memberships.read(serverId, userId, load) : load();
  }
  addMember(serverId: Snowflake, userId: Snowflake, joinedAt: Date): Promise<{ added: boolean; membership: MembershipRecord }> {
    const add = () => this.inner.addMember(serverId, userId, joinedAt);
    return this.memberships ? this.memberships.write(serverId, userId, true, add) : add();
  }
  removeMember(serverId: Snowflake, userId: Snowflake): Promise<boolean> {
    const remove = () => this.inner.removeMember(serverId, userId);
    return this.memberships ? this.memberships.write(serverId, userId, false, remove) : remove();
  }
  countServersOwnedBy(userId: Snowflake): Promise<number> {
    return this.inner.countServersOwnedBy(userId);
  }
  listServerSizesOf(userId: Snowflake): Promise<ServerSize[]> {
    return this.inner.listServerSizesOf(userId);
  }
  countMembers(serverId: Snowflake): Promise<number> {
    return this.inner.countMembers(serverId);
  }
  listMembers(serverId: Snowflake, query: { limit: number; after?: Snowflake }): Promise<MembershipRecord[]> {
    return this.inner.listMembers(serverId, query);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
}
