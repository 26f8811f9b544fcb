import { describe, expect, test } from "vitest";
import { readEnv } from "../../lib/config/env";
import { MEMORY, resolveConfig } from "../../server/config";
import { keysSpec } from "../support/keys";

/** Resolves as the process would with exactly these environment variables. */
const resolveWith = (vars: Record<string, string>, options = {}) => resolveConfig(options, readEnv(vars as NodeJS.ProcessEnv));

describe("defaults", () => {
  test("port 3000 on 127.0.0.1, data in .data with PGlite under .data/pglite", () => {
    const config = resolveWith({});
    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      dataDir: ".data",
      database: { kind: "pglite", dataDir: ".data/pglite" },
      production: false,
      dev: false,
      workerId: 0,
      logLevel: "info",
      projectDir: process.cwd(),
    });
    expect(config.authSecret).toBeUndefined();
    expect(config.publicUrl).toBeUndefined();
  });

  test("DATA_DIR moves the embedded database with it", () => {
    expect(resolveWith({ DATA_DIR: "/var/lib/parley" }).database).toEqual({ kind: "pglite", dataDir: "/var/lib/parley/pglite" });
  });

  test("memory:// keeps everything in memory", () => {
    expect(resolveWith({ DATA_DIR: MEMORY }).database).toEqual({ kind: "pglite", dataDir: MEMORY });
  });
});

describe("DATABASE_URL", () => {
  test("switches to PostgreSQL with a pool of 10 by default", () => {
    const url = "postgres://parley:pw@db:5432/parley";
    expect(resolveWith({ DATABASE_URL: url }).database).toEqual({ kind: "postgres", url, poolSize: 10 });
  });

  test("DATABASE_POOL_SIZE sizes the pool", () => {
    expect(resolveWith({ DATABASE_URL: "postgres://db/parley", DATABASE_POOL_SIZE: "25" }).database).toMatchObject({ poolSize: 25 });
  });

  test("a blank DATABASE_URL means none", () => {
    expect(resolveWith({ DATABASE_URL: "  " }).database.kind).toBe("pglite");
  });
});

describe("production", () => {
  test("with a real database but no AUTH_SECRET, it refuses to start", () => {
    expect(() => resolveWith({ NODE_ENV: "production", DATABASE_URL: "postgres://db/parley" })).toThrow(/AUTH_SECRET/);
    expect(() => resolveWith({ NODE_ENV: "production", DATABASE_URL: "postgres://db/parley", AUTH_SECRET: "" })).toThrow(/AUTH_SECRET/);
  });

  test("with a real database and an AUTH_SECRET, it starts", () => {
    const secret = "s3cret-s3cret-s3cret-s3cret-s3cret";
    const config = resolveWith({ NODE_ENV: "production", DATABASE_URL: "postgres://db/parley", AUTH_SECRET: secret, MESSAGE_KEYS: keysSpec("k1") });
    expect(config).toMatchObject({ production: true, authSecret: secret });
    expect(config.messageKeys?.write.id).toBe("k1");
  });

  test("with a real database or Cassandra but no MESSAGE_KEYS, it refuses to start (nodes must share one key ring)", () => {
    const secret = "s3cret-s3cret-s3cret-s3cret-s3cret";
    expect(() => resolveWith({ NODE_ENV: "production", DATABASE_URL: "postgres://db/parley", AUTH_SECRET: secret })).toThrow(/MESSAGE_KEYS must be set/);
    expect(() => resolveWith({ NODE_ENV: "production", CASSANDRA_CONTACT_POINTS: "10.0.0.1", AUTH_SECRET: secret })).toThrow(/MESSAGE_KEYS must be set/);
    expect(resolveWith({ NODE_ENV: "production" }).messageKeys).toBeUndefined();
  });

  test("an AUTH_SECRET shorter than 32 characters is refused, in any mode", () => {
    expect(() => resolveWith({ NODE_ENV: "production", DATABASE_URL: "postgres://db/parley", AUTH_SECRET: "s3cret-s3cret-s3cret" })).toThrow(/at least 32/);
    expect(() => resolveWith({ AUTH_SECRET: "short" })).toThrow(/at least 32/);
  });

  test("embedded, it may do without AUTH_SECRET (the secret is kept in the data dir)", () => {
    expect(resolveWith({ NODE_ENV: "production" })).toMatchObject({ production: true, database: { kind: "pglite" } });
  });

  test("outside production a missing AUTH_SECRET is fine even with a real database", () => {
    expect(resolveWith({ DATABASE_URL: "postgres://db/parley" }).authSecret).toBeUndefined();
  });
});

describe("explicit options", () => {
  test("win over the environment", () => {
    const config = resolveWith(
      { PORT: "8080", HOST: "0.0.0.0", DATA_DIR: "/data", LOG_LEVEL: "debug", WORKER_ID: "4" },
      { port: 0, host: "127.0.0.1", dataDir: MEMORY, logLevel: "silent", workerId: 9 },
    );
    expect(config).toMatchObject({ port: 0, host: "127.0.0.1", dataDir: MEMORY, logLevel: "silent", workerId: 9 });
    expect(config.database).toEqual({ kind: "pglite", dataDir: MEMORY });
  });

  test("an explicit database wins over DATABASE_URL", () => {
    const config = resolveWith({ DATABASE_URL: "postgres://db/parley" }, { database: { kind: "pglite", dataDir: MEMORY } });
    expect(config.database).toEqual({ kind: "pglite", dataDir: MEMORY });
  });
});

describe("Redis and roles", () => {
  test("without REDIS_URL everything stays in the process", () => {
    expect(resolveWith({}).redis).toBeUndefined();
  });

  test("REDIS_URL turns Redis on, with plain pub/sub and keys under parley: by default", () => {
    expect(resolveWith({ REDIS_URL: "redis://cache:6379" }).redis).toEqual({ url: "redis://cache:6379", sharded: false, prefix: "parley:" });
  });

  test("REDIS_KEY_PREFIX and REDIS_SHARDED_PUBSUB are honoured", () => {
    const config = resolveWith({ REDIS_URL: "redis://cache:6379", REDIS_KEY_PREFIX: "staging:", REDIS_SHARDED_PUBSUB: "true" });
    expect(config.redis).toEqual({ url: "redis://cache:6379", sharded: true, prefix: "staging:" });
  });

  test("an explicit `redis: undefined` keeps a test server embedded even when REDIS_URL is set", () => {
    expect(resolveWith({ REDIS_URL: "redis://cache:6379" }, { redis: undefined }).redis).toBeUndefined();
  });

  test.each(["api", "gateway"])("PARLEY_ROLE=%s refuses to start without both REDIS_URL and DATABASE_URL", (role) => {
    expect(() => resolveWith({ PARLEY_ROLE: role })).toThrow(/REDIS_URL and DATABASE_URL/);
    expect(() => resolveWith({ PARLEY_ROLE: role, REDIS_URL: "redis://cache" })).toThrow(/REDIS_URL and DATABASE_URL/);
    expect(() => resolveWith({ PARLEY_ROLE: role, DATABASE_URL: "postgres://db/parley" })).toThrow(/REDIS_URL and DATABASE_URL/);
    expect(resolveWith({ PARLEY_ROLE: role, REDIS_URL: "redis://cache", DATABASE_URL: "postgres://db/parley" }).role).toBe(role);
  });

  test("PRESENCE_LEASE_SECONDS sets the lease (45 s by default)", () => {
    expect(resolveWith({}).presenceLeaseMs).toBe(45_000);
    expect(resolveWith({ PRESENCE_LEASE_SECONDS: "6" }).presenceLeaseMs).toBe(6_000);
  });
});

describe("invalid environment", () => {
  test.each([
    [{ PORT: "http" }, /PORT/],
    [{ PORT: "70000" }, /PORT/],
    [{ WORKER_ID: "1024" }, /WORKER_ID/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ NODE_ENV: "staging" }, /NODE_ENV/],
  ])("%j fails at start, naming the variable", (vars, name) => {
    expect(() => readEnv(vars as NodeJS.ProcessEnv)).toThrow(name);
    expect(() => readEnv(vars as NodeJS.ProcessEnv)).toThrow(/Invalid configuration/);
  });
});
