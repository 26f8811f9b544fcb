// Turns validated settings into the decisions the process acts on (which database, which
// secret, whether cookies are secure). Explicit options win over the environment.
import path from "node:path";
import { readEnv, type Env } from "../lib/config/env";
import type { DatabaseConfig } from "../lib/adapters/db/client";
import { KeyRingError, parseKeyRing, type KeyRing } from "../lib/crypto/key-ring";
import { parseContactPoints, parseReplication, type CassandraSettings } from "../lib/adapters/cassandra/settings";

/** Where message history lives: with the metadata in the database, or in Cassandra/ScyllaDB. */
export type MessageStoreConfig = { kind: "database" } | ({ kind: "cassandra" } & CassandraSettings);

export interface ParleyConfig {
  port: number;
  host: string;
  /** Where embedded data lives, or "memory://" for a throw-away instance. */
  dataDir: string;
  database: DatabaseConfig;
  dev: boolean;
  production: boolean;
  authSecret?: string;
  /** Where generated secrets live (SECRETS_DIR): beside DATA_DIR, never inside it. */
  secretsDir: string;
  /** The message key ring from MESSAGE_KEYS; absent: the embedded key ring file in `secretsDir`. */
  messageKeys?: KeyRing;
  publicUrl?: string;
  workerId: number;
  logLevel: Env["LOG_LEVEL"];
  /** all: UI + REST + gateway; api: UI + REST, publishing through Redis; gateway: sockets only. */
  role: Env["PARLEY_ROLE"];
  /** Absent: presence, limits and fan-out stay inside this process (the embedded default). */
  redis?: RedisConfig;
  /** How long a connection counts as alive without a heartbeat (Redis presence). */
  presenceLeaseMs: number;
  /** `channels:focus` calls one connection may make in any 10 s. */
  focusCallsPer10s: number;
  /** `members:subscribe` calls one connection may make in any 10 s. */
  memberListSubscribesPer10s: number;
  /** Gateway connections one user may hold at once (every node). */
  connectionsPerUser: number;
  /** A connection that has not completed the gateway handshake by then is closed. */
  handshakeTimeoutMs: number;
  /** Socket.IO's heartbeat: a ping every `intervalMs`; unanswered for `timeoutMs`, the connection is closed. */
  heartbeat: { intervalMs: number; timeoutMs: number };
  /** How long a lost gateway connection can be resumed (one node without Redis, for now). */
  resumeWindowMs: number;
  /** The URL this gateway announces in the directory (GATEWAY_PUBLIC_URL); see announcedUrlOf. */
  gatewayPublicUrl?: string;
  /** How long a directory entry lives without renewal. */
  directoryLeaseMs: number;
  /** The bearer token GET /metrics requires (METRICS_TOKEN); without it, only this machine may scrape. */
  metricsToken?: string;
  /** Proxies whose X-Forwarded-For entries are trusted (TRUST_PROXY_HOPS). */
  trustProxyHops: number;
  limits: AbuseLimits;
  /** The project folder: Next's app and the drizzle/ migrations live here. */
  projectDir: string;
  messages: MessageStoreConfig;
}

/** The abuse limits set by the environment (docs/api.md, "Abuse limits"). */
export interface AbuseLimits {
  serversPerUser: number;
  channelsPerServer: number;
  invitesPerMemberPerHour: number;
  presenceSetsPerMinute: number;
  loginFailuresPerUsername: number;
  loginFailuresPerIp: number;
  registrationsPerIpPerHour: number;
  /** Client events one gateway connection may send in any 60 s. */
  gatewayEventsPerMinute: number;
  /** `GET /api/v1/gateway` calls one user may make in any 60 s. */
  gatewayLookupsPerMinute: number;
}

export interface RedisConfig {
  url: string;
  /** Sharded pub/sub (SPUBLISH, Redis 7+) for the Socket.IO adapter. */
  sharded: boolean;
  /** Prefix of every key Parley writes, so deployments or test runs can share a Redis. */
  prefix: string;
}

/** Settings given in code win over the environment's; `limits` are merged one by one. */
export type ParleyServerOptions = Omit<Partial<ParleyConfig>, "limits"> & { limits?: Partial<AbuseLimits> };

export const MEMORY = "memory://";
export const MIN_AUTH_SECRET_LENGTH = 32;

export function resolveConfig(options: ParleyServerOptions = {}, env: Env = readEnv()): ParleyConfig {
  const dataDir = options.dataDir ?? env.DATA_DIR;
  const database: DatabaseConfig =
    options.database ??
    (env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
      : { kind: "pglite", dataDir: dataDir === MEMORY ? MEMORY : `${dataDir}/pglite` });
  const production = options.production ?? env.NODE_ENV === "production";
  const config: ParleyConfig = {
    port: options.port ?? env.PORT,
    host: options.host ?? env.HOST,
    dataDir,
    database,
    dev: options.dev ?? false,
    production,
    authSecret: options.authSecret ?? env.AUTH_SECRET,
    secretsDir: options.secretsDir ?? env.SECRETS_DIR ?? defaultSecretsDir(dataDir),
    messageKeys: "messageKeys" in options ? options.messageKeys : messageKeysFromEnv(env),
    publicUrl: options.publicUrl ?? env.PUBLIC_URL,
    workerId: options.workerId ?? env.WORKER_ID,
    logLevel: options.logLevel ?? env.LOG_LEVEL,
    role: options.role ?? env.PARLEY_ROLE,
    // An explicit `redis: undefined` keeps a test server embedded even when REDIS_URL is set.
    redis: "redis" in options ? options.redis : env.REDIS_URL ? { url: env.REDIS_URL, sharded: env.REDIS_SHARDED_PUBSUB, prefix: env.REDIS_KEY_PREFIX } : undefined,
    presenceLeaseMs: options.presenceLeaseMs ?? env.PRESENCE_LEASE_SECONDS * 1000,
    focusCallsPer10s: options.focusCallsPer10s ?? env.FOCUS_CALLS_PER_10S,
    memberListSubscribesPer10s: options.memberListSubscribesPer10s ?? env.MEMBER_LIST_SUBSCRIBES_PER_10S,
    connectionsPerUser: options.connectionsPerUser ?? env.CONNECTIONS_PER_USER,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? env.GATEWAY_HANDSHAKE_TIMEOUT_MS,
    resumeWindowMs: options.resumeWindowMs ?? env.GATEWAY_RESUME_SECONDS * 1000,
    heartbeat: options.heartbeat ?? { intervalMs: env.GATEWAY_HEARTBEAT_INTERVAL_MS, timeoutMs: env.GATEWAY_HEARTBEAT_TIMEOUT_MS },
    gatewayPublicUrl: options.gatewayPublicUrl ?? env.GATEWAY_PUBLIC_URL,
    directoryLeaseMs: options.directoryLeaseMs ?? env.GATEWAY_DIRECTORY_LEASE_SECONDS * 1000,
    trustProxyHops: options.trustProxyHops ?? env.TRUST_PROXY_HOPS,
    metricsToken: "metricsToken" in options ? options.metricsToken : env.METRICS_TOKEN,
    limits: {
      serversPerUser: env.MAX_SERVERS_PER_USER,
      channelsPerServer: env.MAX_CHANNELS_PER_SERVER,
      invitesPerMemberPerHour: env.INVITES_PER_MEMBER_PER_HOUR,
      presenceSetsPerMinute: env.PRESENCE_SETS_PER_MINUTE,
      loginFailuresPerUsername: env.LOGIN_FAILURES_PER_USERNAME,
      loginFailuresPerIp: env.LOGIN_FAILURES_PER_IP,
      registrationsPerIpPerHour: env.REGISTER_PER_IP_PER_HOUR,
      gatewayEventsPerMinute: env.GATEWAY_EVENTS_PER_MINUTE,
      gatewayLookupsPerMinute: env.GATEWAY_LOOKUPS_PER_MINUTE,
      ...options.limits,
    },
    projectDir: options.projectDir ?? process.cwd(),
    messages: options.messages ?? messageStoreFromEnv(env),
  };
  if (config.role !== "all" && (!config.redis || config.database.kind !== "postgres")) {
    throw new Error(`PARLEY_ROLE=${config.role} runs beside other nodes: it needs REDIS_URL and DATABASE_URL.`);
  }
  if (config.production && config.database.kind === "postgres" && !config.authSecret) {
    throw new Error("AUTH_SECRET must be set in production when DATABASE_URL points at a real database.");
  }
  // HS256 wants a key of at least 256 bits: a short secret can be guessed offline from any token.
  if (config.authSecret !== undefined && config.authSecret.length < MIN_AUTH_SECRET_LENGTH) {
    throw new Error(`AUTH_SECRET must be at least ${MIN_AUTH_SECRET_LENGTH} characters (e.g. openssl rand -hex 32).`);
  }
  // Every node must open every other node's messages: a key ring generated per node would not.
  if (config.production && (config.database.kind === "postgres" || config.messages.kind === "cassandra") && !config.messageKeys) {
    throw new Error("MESSAGE_KEYS must be set in production when DATABASE_URL or CASSANDRA_CONTACT_POINTS is set (e.g. MESSAGE_KEYS=k1:$(openssl rand -base64 32)).");
  }
  return config;
}

/** Cassandra when contact points are configured; otherwise history stays in the database. */
export function messageStoreFromEnv(env: Env): MessageStoreConfig {
  const contactPoints = parseContactPoints(env.CASSANDRA_CONTACT_POINTS ?? "");
  if (contactPoints.length === 0) return { kind: "database" };
  return {
    kind: "cassandra",
    contactPoints,
    localDataCenter: env.CASSANDRA_LOCAL_DC,
    keyspace: env.CASSANDRA_KEYSPACE,
    replication: parseReplication(env.CASSANDRA_REPLICATION),
    consistency: env.CASSANDRA_CONSISTENCY,
    requestTimeoutMs: env.CASSANDRA_REQUEST_TIMEOUT_MS,
  };
}

/** The default secrets dir: a sibling of the data dir (`.data` -> `/abs/.data-secrets`). */
export function defaultSecretsDir(dataDir: string): string {
  return dataDir === MEMORY ? MEMORY : `${path.resolve(dataDir)}-secrets`;
}

/** MESSAGE_KEYS parsed and checked (32-byte keys, unique ids), or undefined when unset. */
export function messageKeysFromEnv(env: Env): KeyRing | undefined {
  if (!env.MESSAGE_KEYS) {
    if (env.MESSAGE_WRITE_KEY) throw new Error("Invalid configuration: MESSAGE_WRITE_KEY is set but MESSAGE_KEYS is not.");
    return undefined;
  }
  try {
    return parseKeyRing(env.MESSAGE_KEYS, "MESSAGE_KEYS", env.MESSAGE_WRITE_KEY);
  } catch (err) {
    if (err instanceof KeyRingError) throw new Error(`Invalid configuration: ${err.message.startsWith("MESSAGE_KEYS") ? "" : "MESSAGE_KEYS: "}${err.message}`);
    throw err;
  }
}
