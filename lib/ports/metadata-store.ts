import type { Channel, Server, User } from "../domain/types";
import type { Snowflake } from "../ids/snowflake";

export interface UserRecord extends User {
  passwordHash: string;
}

export interface MembershipRecord {
  user: User;
  joinedAt: string;
}

export interface ServerSize {
  serverId: Snowflake;
  memberCount: number;
}

export interface ServerWithSize {
  server: Server;
  memberCount: number;
}

export interface NewServer {
  server: { id: Snowflake; name: string; ownerId: Snowflake };
  generalChannel: { id: Snowflake; name: string };
  joinedAt: Date;
}

/**
 * Users, servers, channels, memberships and invites (PostgreSQL or PGlite).
 * Every method is one short transaction; multi-row writes are atomic.
 */
export interface MetadataStore {
  /** Returns null when the username is taken. */
  createUser(user: UserRecord): Promise<User | null>;
  findUserByUsername(username: string): Promise<UserRecord | null>;
  /** Replaces a user's password hash (password change); false when there is no such user. */
  setPasswordHash(userId: Snowflake, passwordHash: string): Promise<boolean>;
  getUser(id: Snowflake): Promise<User | null>;
  getUsers(ids: Snowflake[]): Promise<Map<Snowflake, User>>;

  /** Creates the server, its owner's membership and its first channel together. */
  createServer(input: NewServer): Promise<Server>;
  getServer(id: Snowflake): Promise<Server | null>;
  listServersOf(userId: Snowflake): Promise<Server[]>;
  /** The user's servers (as listServersOf) with their member counts, in one read: what a new connection needs. */
  listServersWithSizesOf(userId: Snowflake): Promise<ServerWithSize[]>;
  listServerIdsOf(userId: Snowflake): Promise<Snowflake[]>;
  /** The user's servers with their member counts (any order). */
  listServerSizesOf(userId: Snowflake): Promise<ServerSize[]>;

  /** Appends a channel after the server's last one. */
  createChannel(input: { id: Snowflake; serverId: Snowflake; name: string }): Promise<Channel>;
  getChannel(id: Snowflake): Promise<Channel | null>;

  createInvite(input: { code: string; serverId: Snowflake; creatorId: Snowflake }): Promise<void>;
  findInviteServerId(code: string): Promise<Snowflake | null>;

  isMember(serverId: Snowflake, userId: Snowflake): Promise<boolean>;
  /** Idempotent: returns the membership and whether it is new. */
  addMember(serverId: Snowflake, userId: Snowflake, joinedAt: Date): Promise<{ added: boolean; membership: MembershipRecord }>;
  /** Returns whether a membership was removed. */
  removeMember(serverId: Snowflake, userId: Snowflake): Promise<boolean>;
  countMembers(serverId: Snowflake): Promise<number>;
  countServersOwnedBy(userId: Snowflake): Promise<number>;
  /** Ordered by user id, strictly after `after`. */
  listMembers(serverId: Snowflake, query: { limit: number; after?: Snowflake }): Promise<MembershipRecord[]>;

  ping(): Promise<void>;
}
