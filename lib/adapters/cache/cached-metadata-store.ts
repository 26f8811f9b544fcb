// A MetadataStore that remembers channels and users, the two lookups on every send, every
// history read and every REST authentication (each one a database round trip otherwise).
// Sound because the API never changes or deletes a channel or a user once created; only
// found rows are remembered, so something created a moment ago (on any node) is read from
// the store on first use. Memberships, servers and invites are never cached: they change.
import type { Channel, Server, User } from "../../domain/types";
import type { Snowflake } from "../../ids/snowflake";
import type { MembershipRecord, MetadataStore, NewServer, UserRecord } from "../../ports/metadata-store";
import { BoundedMap } from "./bounded-map";

export class CachedMetadataStore implements MetadataStore {
  private readonly channels: BoundedMap<Snowflake, Channel>;
  private readonly users: BoundedMap<Snowflake, User>;

  constructor(
    private readonly inner: MetadataStore,
    limits: { channels: number; users: number } = { channels: 50_000, users: 100_000 },
  ) {
    this.channels = new BoundedMap(limits.channels);
    this.users = new BoundedMap(limits.users);
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
  createServer(input: NewServer): Promise<Server> {
    return this.inner.createServer(input);
  }
  getServer(id: Snowflake): Promise<Server | null> {
    return this.inner.getServer(id);
  }
  listServersOf(userId: Snowflake): Promise<Server[]> {
    return this.inner.listServersOf(userId);
  }
  listServerIdsOf(userId: Snowflake): Promise<Snowflake[]> {
    return this.inner.listServerIdsOf(userId);
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
    return this.inner.isMember(serverId, userId);
  }
  addMember(serverId: Snowflake, userId: Snowflake, joinedAt: Date): Promise<{ added: boolean; membership: MembershipRecord }> {
    return this.inner.addMember(serverId, userId, joinedAt);
  }
  removeMember(serverId: Snowflake, userId: Snowflake): Promise<boolean> {
    return this.inner.removeMember(serverId, userId);
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
