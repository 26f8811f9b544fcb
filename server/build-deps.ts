// The one place that chooses an implementation for every port from the configuration.
import path from "node:path";
import type { Redis } from "ioredis";
import { openDatabase, type Database } from "../lib/adapters/db/client";
import { DrizzleIdempotencyStore } from "../lib/adapters/db/idempotency-store";
import { messageStoreOn } from "../lib/adapters/db/message-store";
import { DrizzleMetadataStore } from "../lib/adapters/db/metadata-store";
import { CachedMetadataStore } from "../lib/adapters/cache/cached-metadata-store";
import { RecentMessagesStore } from "../lib/adapters/cache/recent-messages-store";
import { NonceBoundMessageStore } from "../lib/adapters/cassandra/nonce-bound-store";
import { openCassandraMessageStore } from "../lib/adapters/cassandra/open-message-store";
import { DrizzleReadStateStore } from "../lib/adapters/db/read-state-store";
import { DrizzleRevocationLog } from "../lib/adapters/db/revocation-log";
import { RevocationMirror } from "../lib/adapters/cache/revocation-mirror";
import { RedisRevocationChannel } from "../lib/adapters/redis/revocation-channel";
import { LOGIN_FAILURE_WINDOW_MS, REGISTRATION_WINDOW_MS } from "../lib/use-cases/shared/sign-in-limits";
import { MemoryGatewayDirectory } from "../lib/adapters/memory/gateway-directory";
import { MemoryMemberListStore } from "../lib/adapters/memory/member-list-store";
import { MemoryPresenceStore } from "../lib/adapters/memory/presence-store";
import { MemoryRateLimiter } from "../lib/adapters/memory/rate-limiter";
import { createRedisClient, pingRedis } from "../lib/adapters/redis/client";
import { RedisGatewayDirectory } from "../lib/adapters/redis/gateway-directory";
import { RedisIdempotencyStore } from "../lib/adapters/redis/idempotency-store";
import { RedisMemberListStore } from "../lib/adapters/redis/member-list-store";
import { RedisPresenceStore } from "../lib/adapters/redis/presence-store";
import { RedisRateLimiter } from "../lib/adapters/redis/rate-limiter";
import { ephemeralKeyRing, type KeyRing } from "../lib/crypto/key-ring";
import { MessageCipher } from "../lib/crypto/message-cipher";
import { argon2Hasher } from "../lib/auth/passwords";
import { createTokenService } from "../lib/auth/tokens";
import type { Deps } from "../lib/deps";
import { newInviteCode } from "../lib/ids/invite-codes";
import { SnowflakeGenerator } from "../lib/ids/snowflake";
import type { Logger } from "../lib/logger";
import type { IdempotencyStore } from "../lib/ports/idempotency-store";
import type { MessageResealer, MessageStore } from "../lib/ports/message-store";
import type { EventBus } from "../lib/ports/event-bus";
import { MEMORY, type ParleyConfig } from "./config";

export const MESSAGES_PER_SECOND = 5;
export const TYPING_ANNOUNCE_WINDOW_MS = 3_000;
export const NONCE_TTL_MS = 15 * 60 * 1000;
/** How often a node reads other nodes' revocations from the database (pub/sub normally brings them at once). */
export const REVOCATION_POLL_MS = 5_000;

export interface BuiltDeps {
  deps: Deps;
  /** The Redis store connection, when Redis is configured (the gateway adds its pub/sub). */
  redis?: Redis;
  /** The embedded history's re-encryption, when this process is its only writer on disk. */
  resealer?: MessageResealer;
  /** One probe per dependency, for /api/health. */
  healthChecks: Record<string, () => Promise<void>>;
  /** `events` is wired by whoever owns the fan-out (gateway or emitter); until then nothing is sent. */
  setEvents(bus: EventBus): void;
  close(): Promise<void>;
}

/**
 * `keyRing` seals and opens message text; only a throw-away (memory://) instance may go without
 * one (it gets a random key, as its data dies with it).
 */
export async function buildDeps(config: ParleyConfig, authSecret: string, log: Logger, keyRing?: KeyRing): Promise<BuiltDeps> {
  const ring = keyRing ?? config.messageKeys ?? (config.dataDir === MEMORY ? ephemeralKeyRing() : undefined);
  if (!ring) throw new Error("buildDeps needs the message key ring (server/secrets.ts) for a data dir on disk");
  const cipher = new MessageCipher(ring);
  const database = await openDatabase(config.database, path.join(config.projectDir, "drizzle"));
  // Memberships and recent history may be cached only where this process is the database's
  // only writer: then every write goes through the stores built here, which update their
  // caches before the write resolves, so the caches are exactly coherent. That is the embedded
  // PGlite: one process opens it (the pid lock on DATA_DIR, server/data-dir.ts; a memory://
  // instance is private). With PostgreSQL other nodes write too and nothing would tell this
  // one, and Cassandra's history is shared the same way: there every read goes to the store.
  const singleWriter = database.kind === "pglite";
  // Channels and users never change once created: remembering them saves a round trip per send and read.
  const metadata = new CachedMetadataStore(new DrizzleMetadataStore(database.db), { memberships: singleWriter });
  const localRateLimiter = new MemoryRateLimiter(MESSAGES_PER_SECOND, 1000);
  /** A budget shared by every node through Redis when there is one (this process's memory while it is away). */
  const limiter = (points: number, windowMs: number) => {
    const local = new MemoryRateLimiter(points, windowMs);
    return redis ? new RedisRateLimiter(redis, points, windowMs, local, log, prefix) : local;
  };
  const redis = config.redis ? createRedisClient(config.redis.url, "store", log) : undefined;
  const prefix = config.redis?.prefix;
  const { messages, resealer } = await openMessageStore(config, database, singleWriter, cipher, log, () =>
    // Nonces of Cassandra's history, in Redis when there is one (the database when it is away),
    // in the database otherwise: a retry after a restart or on another node must still find its message.
    redis ? new RedisIdempotencyStore(redis, NONCE_TTL_MS, new DrizzleIdempotencyStore(database.db, NONCE_TTL_MS), log, prefix) : new DrizzleIdempotencyStore(database.db, NONCE_TTL_MS),
  );

  // Member lists need their own pub/sub connection (one that keeps its queue while Redis is away).
  const memberLists = redis && config.redis ? new RedisMemberListStore(redis, createRedisClient(config.redis.url, "subscriber", log), log, prefix) : new MemoryMemberListStore();

  // Every node keeps the ended sign-ins in memory; Redis tells the others at once, and where
  // other nodes write the database too a poll of it makes up for a message lost on the way.
  const sessions = await RevocationMirror.open(
    new DrizzleRevocationLog(database.db),
    redis && config.redis ? new RedisRevocationChannel(redis, createRedisClient(config.redis.url, "subscriber", log), log, prefix) : undefined,
    log,
    { pollMs: singleWriter ? 0 : REVOCATION_POLL_MS },
  );

  let events: EventBus = { publish: async () => {} };
  const deps: Deps = {
    metadata,
    messages,
    get events() {
      return events;
    },
    memberLists,
    presence: redis ? new RedisPresenceStore(redis, { leaseMs: config.presenceLeaseMs, prefix }, log) : new MemoryPresenceStore(),
    messageRateLimiter: redis ? new RedisRateLimiter(redis, MESSAGES_PER_SECOND, 1000, localRateLimiter, log, prefix) : localRateLimiter,
    typingRateLimiter: limiter(1, TYPING_ANNOUNCE_WINDOW_MS),
    inviteRateLimiter: limiter(config.limits.invitesPerMemberPerHour, 60 * 60_000),
    presenceRateLimiter: limiter(config.limits.presenceSetsPerMinute, 60_000),
    gateways: redis ? new RedisGatewayDirectory(redis, log, prefix) : new MemoryGatewayDirectory(),
    gatewayLookupLimiter: limiter(config.limits.gatewayLookupsPerMinute, 60_000),
    signInLimiters: {
      failuresPerUsername: limiter(config.limits.loginFailuresPerUsername, LOGIN_FAILURE_WINDOW_MS),
      failuresPerIp: limiter(config.limits.loginFailuresPerIp, LOGIN_FAILURE_WINDOW_MS),
      registrationsPerIp: limiter(config.limits.registrationsPerIpPerHour, REGISTRATION_WINDOW_MS),
    },
    sessions,
    limits: { serversPerUser: config.limits.serversPerUser, channelsPerServer: config.limits.channelsPerServer },
    readStates: new DrizzleReadStateStore(database.db),
    ids: new SnowflakeGenerator(config.workerId),
    passwords: argon2Hasher,
    tokens: createTokenService(authSecret),
    inviteCodes: () => newInviteCode(),
    now: () => new Date(),
  };
  const healthChecks: Record<string, () => Promise<void>> = {
    database: () => metadata.ping(),
    messages: () => messages.ping(),
    ...(redis ? { redis: () => pingRedis(redis) } : {}),
  };
  return {
    deps,
    redis,
    resealer: singleWriter && config.database.kind === "pglite" && config.database.dataDir !== MEMORY ? resealer : undefined,
    healthChecks,
    setEvents: (bus) => {
      events = bus;
    },
    close: async () => {
      await sessions.close();
      await memberLists.close();
      redis?.disconnect();
      await messages.close().catch(() => {});
      await database.close();
    },
  };
}

/**
 * History in the metadata database (its newest pages kept in memory when this process is the
 * only writer, see above; nonces in the same statement as the message), or in
 * Cassandra/ScyllaDB behind a circuit breaker (nonces bound in `nonces()` first).
 */
async function openMessageStore(
  config: ParleyConfig,
  database: Database,
  singleWriter: boolean,
  cipher: MessageCipher,
  log: Logger,
  nonces: () => IdempotencyStore,
): Promise<{ messages: MessageStore; resealer?: MessageResealer }> {
  if (config.messages.kind === "database") {
    const store = messageStoreOn(database, { nonceTtlMs: NONCE_TTL_MS, cipher });
    return { messages: singleWriter ? new RecentMessagesStore(store) : store, resealer: store };
  }
  try {
    return { messages: new NonceBoundMessageStore(await openCassandraMessageStore(config.messages, cipher, log), nonces()) };
  } catch (err) {
    await database.close();
    throw err;
  }
}
