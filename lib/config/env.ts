// The one reader of process.env: every setting Parley understands, validated once at start.
import { z } from "zod";
import { CONSISTENCY_LEVELS, KEYSPACE_PATTERN, isValidReplication } from "../adapters/cassandra/settings";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** Where hashed static assets are served from (build time): an absolute http(s) URL, no trailing slash. */
function cdnUrlSchema() {
  return optionalString
    .refine((v) => v === undefined || (/^https?:\/\/[^/?#]+/i.test(v) && URL.canParse(v)), "must be an absolute http(s) URL")
    .transform((v) => v?.replace(/\/+$/, ""));
}

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().trim().min(1).default(".data"),
  DATABASE_URL: optionalString,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  AUTH_SECRET: optionalString,
  /** Where the embedded default keeps its generated secrets; default `<DATA_DIR>-secrets`, beside the data dir, never inside it. */
  SECRETS_DIR: optionalString,
  /** The message key ring, `id:base64key,...` oldest first (docs/security.md, "Encryption at rest"); without it the embedded default generates one. */
  MESSAGE_KEYS: optionalString,
  /** Which key of MESSAGE_KEYS seals new messages (default: the last); lets every node learn a new key before any writes with it. */
  MESSAGE_WRITE_KEY: optionalString,
  PUBLIC_URL: optionalString,
  WORKER_ID: z.coerce.number().int().min(0).max(1023).default(0),
  PARLEY_ROLE: z.enum(["all", "api", "gateway"]).default("all"),
  REDIS_URL: optionalString,
  REDIS_SHARDED_PUBSUB: z
    .enum(["true", "false", "1", "0", ""])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /** Prefix of every Redis key and pub/sub channel, so deployments (or test runs) can share a Redis. */
  REDIS_KEY_PREFIX: z.string().trim().min(1).max(64).default("parley:"),
  PRESENCE_LEASE_SECONDS: z.coerce.number().int().min(3).max(600).default(45),
  /** The abuse limit of `channels:focus`: calls per connection in any 10 s (docs/api.md, Focus). */
  FOCUS_CALLS_PER_10S: z.coerce.number().int().min(1).max(10_000).default(10),
  /** The abuse limit of `members:subscribe`: calls per connection in any 10 s (docs/api.md, Member list). */
  MEMBER_LIST_SUBSCRIBES_PER_10S: z.coerce.number().int().min(1).max(10_000).default(20),
  // Abuse limits (contract v2, docs/api.md "Abuse limits"): each answers RATE_LIMITED.
  MAX_SERVERS_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(100),
  MAX_CHANNELS_PER_SERVER: z.coerce.number().int().min(1).max(1_000_000).default(200),
  INVITES_PER_MEMBER_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(50),
  PRESENCE_SETS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(10),
  CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Wrong passwords per username, and per client IP, in any 15 minutes; beyond, even the right one waits. */
  LOGIN_FAILURES_PER_USERNAME: z.coerce.number().int().min(1).max(100_000_000).default(10),
  LOGIN_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000_000).default(30),
  /** Registrations per client IP in any hour (benchmarks and tests register thousands from one address). */
  REGISTER_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(100_000_000).default(30),
  /** Client events one gateway connection may send in any 60 s. */
  GATEWAY_EVENTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000_000).default(120),
  /** `GET /api/v1/gateway` calls per user per minute (a client asks once per connection). */
  GATEWAY_LOOKUPS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000_000).default(60),
  /** The URL a gateway node announces in the directory (contract v2 "Directory"); default http://HOST:PORT. */
  GATEWAY_PUBLIC_URL: z.string().trim().url().optional(),
  /** A gateway node that stops renewing its directory entry drops out after this long. */
  GATEWAY_DIRECTORY_LEASE_SECONDS: z.coerce.number().int().min(2).max(600).default(10),
  /** Socket.IO's ping interval: a connection whose client stops answering is closed within this plus the timeout. */
  GATEWAY_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(200).max(120_000).default(25_000),
  /** How long a ping may go unanswered before the connection is closed (and its presence lease dropped). */
  GATEWAY_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(200).max(120_000).default(20_000),
  /** How long a lost gateway connection can be resumed (contract v2 "Resume": 120 s); 0 turns resume off (every node must agree). */
  GATEWAY_RESUME_SECONDS: z.coerce.number().int().min(0).max(3_600).default(120),
  /** A connection that has not completed the gateway handshake by then is closed. */
  GATEWAY_HANDSHAKE_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  /**
   * Reverse proxies in front of Parley that append to X-Forwarded-For (0: none, the peer's
   * address is the client's). The client IP, which login and registration limits count by, is
   * taken that many entries from the right.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** A bearer token Prometheus sends to GET /metrics; without it /metrics answers only this machine. */
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, "must be at least 16 characters"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Message history in Cassandra/ScyllaDB: used when contact points are given (README, "Cassandra").
  CASSANDRA_CONTACT_POINTS: optionalString,
  CASSANDRA_LOCAL_DC: z.string().trim().min(1).default("datacenter1"),
  CASSANDRA_KEYSPACE: z.string().trim().regex(KEYSPACE_PATTERN, "a letter, then letters, digits or _ (48 at most)").default("parley"),
  CASSANDRA_REPLICATION: z
    .string()
    .trim()
    .refine(isValidReplication, "SimpleStrategy:N or NetworkTopologyStrategy:dc1=N,dc2=N")
    .default("SimpleStrategy:1"),
  CASSANDRA_CONSISTENCY: z.enum(CONSISTENCY_LEVELS).default("LOCAL_QUORUM"),
  CASSANDRA_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  CDN_URL: cdnUrlSchema(),
});

export type Env = z.infer<typeof envSchema>;

/** Parses the process environment; throws a readable error naming every bad variable. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/**
 * Libraries that read their own variables (next-auth, Next) are configured here, the one
 * place that writes them. With no public URL, next-auth trusts the Host header, which is
 * right behind our own server or a proxy that sets X-Forwarded-Host.
 */
export function configureLibraries(publicUrl: string | undefined): void {
  if (publicUrl) process.env.NEXTAUTH_URL = publicUrl;
  else process.env.AUTH_TRUST_HOST = "true";
  process.env.NEXT_TELEMETRY_DISABLED = "1";
}

/**
 * The asset prefix for Next's build (`assetPrefix` in next.config.ts): CDN_URL, or none. Only
 * this one variable is read, so an unrelated bad setting cannot break a build.
 */
export function cdnAssetPrefix(source: Record<string, string | undefined> = process.env): string | undefined {
  const parsed = envSchema.shape.CDN_URL.safeParse(source.CDN_URL);
  if (!parsed.success) throw new Error(`Invalid configuration: CDN_URL: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}
