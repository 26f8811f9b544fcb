// Drizzle schema for PostgreSQL and PGlite. Ids are snowflakes stored as bigint.
import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

const id = (name: string) => bigint(name, { mode: "bigint" });
const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: id("id").primaryKey(),
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_username_key").on(t.username)],
);

export const servers = pgTable(
  "servers",
  {
    id: id("id").primaryKey(),
    name: text("name").notNull(),
    ownerId: id("owner_id")
      .notNull()
      .references(() => users.id),
    /** Kept by the writes that add and remove memberships, in their transactions: large-server rules read it per event. */
    memberCount: integer("member_count").notNull().default(0),
    createdAt: createdAt(),
  },
  // The owned-servers limit counts by owner.
  (t) => [index("servers_owner_idx").on(t.ownerId)],
);

export const channels = pgTable(
  "channels",
  {
    id: id("id").primaryKey(),
    serverId: id("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("channels_server_position_key").on(t.serverId, t.position)],
);

export const memberships = pgTable(
  "memberships",
  {
    serverId: id("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    userId: id("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: timestamp("joined_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.serverId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const invites = pgTable(
  "invites",
  {
    code: text("code").primaryKey(),
    serverId: id("server_id")
      .notNull()
      .references(() => servers.id, { onDelete: "cascade" }),
    creatorId: id("creator_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("invites_server_idx").on(t.serverId)],
);

/**
 * Message history for deployments without Cassandra. The key mirrors the Cassandra layout:
 * (channel, ten-day bucket, id), read newest first with a backward index scan.
 */
export const messages = pgTable(
  "messages",
  {
    channelId: id("channel_id").notNull(),
    bucket: integer("bucket").notNull(),
    id: id("id").notNull(),
    serverId: id("server_id").notNull(),
    authorId: id("author_id").notNull(),
    /** Sealed text, base64(iv ‖ ciphertext ‖ tag) (lib/crypto/message-cipher.ts); plain text when `key_id` is null (rows from before encryption). */
    content: text("content").notNull(),
    /** The id of the key ring entry that sealed `content`; null: a legacy plain-text row. */
    keyId: text("key_id"),
    nonce: text("nonce"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.bucket, t.id] })],
);

/**
 * Idempotency keys (user + channel + nonce -> message id). In the database, not in memory, so a
 * client retrying after a restart or against another node still gets its original message.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    key: text("key").primaryKey(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("idempotency_keys_expires_at_idx").on(t.expiresAt)],
);

/**
 * Where each user stopped reading each channel: the newest message id they have seen. Kept
 * server-side so the unread state follows a person across tabs and devices. No foreign keys,
 * like messages: membership is checked by the use cases, and rows of a left server are inert.
 */
export const readStates = pgTable(
  "read_states",
  {
    userId: id("user_id").notNull(),
    channelId: id("channel_id").notNull(),
    lastReadId: id("last_read_id").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.channelId] })],
);

/**
 * Ended sign-ins (logout, password change), kept until every token they could have issued has
 * expired. `kind` "session": every token of that one sign-in (`session_id`); "before": every
 * sign-in of the user opened before `session_id` (session ids are snowflakes, so ordered in time).
 */
export const sessionRevocations = pgTable(
  "session_revocations",
  {
    userId: id("user_id").notNull(),
    kind: text("kind").notNull(),
    sessionId: id("session_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.sessionId] }), index("session_revocations_created_at_idx").on(t.createdAt)],
);
