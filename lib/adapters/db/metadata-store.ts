// MetadataStore on Drizzle: the same code serves PGlite and PostgreSQL.
import { and, asc, count, eq, gt, inArray, max, sql } from "drizzle-orm";
import type { Channel, Server, User } from "../../domain/types";
import type { Snowflake } from "../../ids/snowflake";
import type { MembershipRecord, MetadataStore, NewServer, ServerSize, ServerWithSize, UserRecord } from "../../ports/metadata-store";
import { pingDatabase, type Db } from "./client";
import { channels, invites, memberships, servers, users } from "./schema";

const big = (id: Snowflake) => BigInt(id);
const str = (id: bigint) => id.toString();

const toUser = (row: { id: bigint; username: string; displayName: string }): User => ({
  id: str(row.id),
  username: row.username,
  displayName: row.displayName,
});

const toChannel = (row: typeof channels.$inferSelect): Channel => ({
  id: str(row.id),
  serverId: str(row.serverId),
  name: row.name,
  type: "text",
  position: row.position,
});

const isUniqueViolation = (err: unknown) =>
  typeof err === "object" && err !== null && ((err as { code?: string }).code === "23505" || (err as { cause?: { code?: string } }).cause?.code === "23505");

export class DrizzleMetadataStore implements MetadataStore {
  constructor(private readonly db: Db) {}

  async createUser(user: UserRecord): Promise<User | null> {
    try {
      await this.db.insert(users).values({ ...user, id: big(user.id) });
      return { id: user.id, username: user.username, displayName: user.displayName };
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    if (!storable(username)) return null;
    const [row] = await this.db.select().from(users).where(eq(users.username, username)).limit(1);
    return row ? { ...toUser(row), passwordHash: row.passwordHash } : null;
  }

  async setPasswordHash(userId: Snowflake, passwordHash: string): Promise<boolean> {
    const updated = await this.db.update(users).set({ passwordHash }).where(eq(users.id, big(userId))).returning({ id: users.id });
    return updated.length > 0;
  }

  async getUser(id: Snowflake): Promise<User | null> {
    return (await this.getUsers([id])).get(id) ?? null;
  }

  async getUsers(ids: Snowflake[]): Promise<Map<Snowflake, User>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.db
      .select({ id: users.id, username: users.username, displayName: users.displayName })
      .from(users)
      .where(inArray(users.id, unique.map(big)));
    return new Map(rows.map((r) => [str(r.id), toUser(r)]));
  }

  async createServer({ server, generalChannel, joinedAt }: NewServer): Promise<Server> {
    await this.db.transaction(async (tx) => {
      await tx.insert(servers).values({ id: big(server.id), name: server.name, ownerId: big(server.ownerId), memberCount: 1 });
      await tx.insert(memberships).values({ serverId: big(server.id), userId: big(server.ownerId), joinedAt });
      await tx
        .insert(channels)
        .values({ id: big(generalChannel.id), serverId: big(server.id), name: generalChannel.name, position: 0 });
    });
    return {
      ...server,
      channels: [{ id: generalChannel.id, serverId: server.id, name: generalChannel.name, type: "text", position: 0 }],
    };
  }

  async getServer(id: Snowflake): Promise<Server | null> {
    return (await this.loadServers([id]))[0] ?? null;
  }

  async listServersOf(userId: Snowflake): Promise<Server[]> {
    return (await this.listServersWithSizesOf(userId)).map((s) => s.server);
  }

  /** One query: memberships, their servers and channels (a row per channel), in the order joined. */
  async listServersWithSizesOf(userId: Snowflake): Promise<ServerWithSize[]> {
    const rows = await this.db
      .select({ server: servers, channel: channels })
      .from(memberships)
      .innerJoin(servers, eq(servers.id, memberships.serverId))
      .leftJoin(channels, eq(channels.serverId, servers.id))
      .where(eq(memberships.userId, big(userId)))
      .orderBy(asc(memberships.joinedAt), asc(memberships.serverId), asc(channels.position));
    const found: ServerWithSize[] = [];
    let last: ServerWithSize | undefined;
    for (const { server, channel } of rows) {
      const id = str(server.id);
      if (last?.server.id !== id) {
        last = { server: { id, name: server.name, ownerId: str(server.ownerId), channels: [] }, memberCount: server.memberCount };
        found.push(last);
      }
      if (channel) last.server.channels.push(toChannel(channel));
    }
    return found;
  }

  async listServerIdsOf(userId: Snowflake): Promise<Snowflake[]> {
    const rows = await this.db
      .select({ serverId: memberships.serverId })
      .from(memberships)
      .where(eq(memberships.userId, big(userId)))
      .orderBy(asc(memberships.joinedAt), asc(memberships.serverId));
    return rows.map((r) => str(r.serverId));
  }

  /** Servers with their channels, in the order of `ids`, in two queries. */
  private async loadServers(ids: Snowflake[]): Promise<Server[]> {
    if (ids.length === 0) return [];
    const keys = ids.map(big);
    const [serverRows, channelRows] = await Promise.all([
      this.db.select().from(servers).where(inArray(servers.id, keys)),
      this.db.select().from(channels).where(inArray(channels.serverId, keys)).orderBy(asc(channels.position)),
    ]);
    const byId = new Map<string, Server>(
      serverRows.map((s) => [str(s.id), { id: str(s.id), name: s.name, ownerId: str(s.ownerId), channels: [] }]),
    );
    for (const c of channelRows) byId.get(str(c.serverId))?.channels.push(toChannel(c));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async createChannel(input: { id: Snowflake; serverId: Snowflake; name: string }): Promise<Channel> {
    // The server's row lock makes concurrent creations in one server take turns for the next
    // position (retrying on the unique index alone fails once a handful of them race).
    const row = await this.db.transaction(async (tx) => {
      await tx.select({ id: servers.id }).from(servers).where(eq(servers.id, big(input.serverId))).for("update");
      const [top] = await tx.select({ last: max(channels.position) }).from(channels).where(eq(channels.serverId, big(input.serverId)));
      const [inserted] = await tx
        .insert(channels)
        .values({ id: big(input.id), serverId: big(input.serverId), name: input.name, position: (top?.last ?? -1) + 1 })
        .returning();
      return inserted!;
    });
    return toChannel(row);
  }

  async getChannel(id: Snowflake): Promise<Channel | null> {
    const [row] = await this.db.select().from(channels).where(eq(channels.id, big(id))).limit(1);
    return row ? toChannel(row) : null;
  }

  async createInvite(input: { code: string; serverId: Snowflake; creatorId: Snowflake }): Promise<void> {
    await this.db.insert(invites).values({ code: input.code, serverId: big(input.serverId), creatorId: big(input.creatorId) });
  }

  async findInviteServerId(code: string): Promise<Snowflake | null> {
    if (!storable(code)) return null;
    const [row] = await this.db.select({ serverId: invites.serverId }).from(invites).where(eq(invites.code, code)).limit(1);
    return row ? str(row.serverId) : null;
  }

  async isMember(serverId: Snowflake, userId: Snowflake): Promise<boolean> {
    const [row] = await this.db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.serverId, big(serverId)), eq(memberships.userId, big(userId))))
      .limit(1);
    return row !== undefined;
  }

  async addMember(serverId: Snowflake, userId: Snowflake, joinedAt: Date) {
    const inserted = await this.db.transaction(async (tx) => {
      const rows = await tx
        .insert(memberships)
        .values({ serverId: big(serverId), userId: big(userId), joinedAt })
        .onConflictDoNothing()
        .returning({ joinedAt: memberships.joinedAt });
      if (rows.length > 0) await this.changeMemberCount(tx, serverId, 1);
      return rows;
    });
    const [membership] = await this.membershipsWhere(and(eq(memberships.serverId, big(serverId)), eq(memberships.userId, big(userId))), 1);
    return { added: inserted.length > 0, membership: membership! };
  }

  async removeMember(serverId: Snowflake, userId: Snowflake): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const removed = await tx
        .delete(memberships)
        .where(and(eq(memberships.serverId, big(serverId)), eq(memberships.userId, big(userId))))
        .returning({ userId: memberships.userId });
      if (removed.length > 0) await this.changeMemberCount(tx, serverId, -1);
      return removed.length > 0;
    });
  }

  private async changeMemberCount(tx: Pick<typeof this.db, "update">, serverId: Snowflake, by: 1 | -1) {
    await tx
      .update(servers)
      .set({ memberCount: sql`${servers.memberCount} + ${by}` })
      .where(eq(servers.id, big(serverId)));
  }

  async countMembers(serverId: Snowflake): Promise<number> {
    const [row] = await this.db.select({ n: servers.memberCount }).from(servers).where(eq(servers.id, big(serverId)));
    return row?.n ?? 0;
  }

  async countServersOwnedBy(userId: Snowflake): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(servers).where(eq(servers.ownerId, big(userId)));
    return Number(row?.n ?? 0);
  }

  async listServerSizesOf(userId: Snowflake): Promise<ServerSize[]> {
    const rows = await this.db
      .select({ serverId: memberships.serverId, memberCount: servers.memberCount })
      .from(memberships)
      .innerJoin(servers, eq(servers.id, memberships.serverId))
      .where(eq(memberships.userId, big(userId)));
    return rows.map((r) => ({ serverId: str(r.serverId), memberCount: r.memberCount }));
  }

  async listMembers(serverId: Snowflake, query: { limit: number; after?: Snowflake }): Promise<MembershipRecord[]> {
    const inServer = eq(memberships.serverId, big(serverId));
    const where = query.after === undefined ? inServer : and(inServer, gt(memberships.userId, big(query.after)));
    return this.membershipsWhere(where, query.limit);
  }

  private async membershipsWhere(where: ReturnType<typeof and>, limit: number): Promise<MembershipRecord[]> {
    const rows = await this.db
      .select({ id: users.id, username: users.username, displayName: users.displayName, joinedAt: memberships.joinedAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(where)
      .orderBy(asc(memberships.userId))
      .limit(limit);
    return rows.map((r) => ({ user: toUser(r), joinedAt: r.joinedAt.toISOString() }));
  }

  ping(): Promise<void> {
    return pingDatabase(this.db);
  }
}

/** PostgreSQL text cannot hold NUL (the query itself fails): no stored value has one. */
const storable = (text: string) => !text.includes("\u0000");
