// Opens the metadata database: PGlite on disk (embedded default) or PostgreSQL via a pg pool.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { withGroupCommit } from "./group-commit";
import { pgliteRunner, type PgliteWire } from "./pglite-runner";
import { pgRunner } from "./pg-runner";
import * as schema from "./schema";
import type { SqlRunner } from "./sql-runner";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseConfig =
  | { kind: "pglite"; /** a folder, or "memory://" */ dataDir: string }
  | { kind: "postgres"; url: string; poolSize: number };

export interface Database {
  db: Db;
  /** The hot statements' way in: prepared, rows as text; group-committed on PGlite. */
  sql: SqlRunner;
  kind: DatabaseConfig["kind"];
  close(): Promise<void>;
}

const MIGRATION_LOCK_KEY = 7_402_119_301; // arbitrary, constant: serializes migrations across nodes

export async function openDatabase(config: DatabaseConfig, migrationsFolder: string): Promise<Database> {
  return config.kind === "pglite" ? openPglite(config.dataDir, migrationsFolder) : openPostgres(config, migrationsFolder);
}

async function openPglite(dataDir: string, migrationsFolder: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (!dataDir.startsWith("memory://")) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzle({ client, schema });
  await migrate(db, { migrationsFolder });
  // PGlite has no autovacuum, so nothing gathers planner statistics by itself; without them a
  // deep history page is planned as "read every older message, then sort" instead of a
  // backward index scan. ANALYZE samples a bounded number of rows, so it stays cheap.
  const analyze = () => client.exec("analyze").then(() => undefined);
  await analyze();
  const upkeep = setInterval(() => analyze().catch(() => {}), PGLITE_ANALYZE_EVERY_MS);
  upkeep.unref();
  return {
    db: db as unknown as Db,
    sql: withGroupCommit(pgliteRunner(client as unknown as PgliteWire)),
    kind: "pglite",
    close: () => {
      clearInterval(upkeep);
      return client.close();
    },
  };
}

const PGLITE_ANALYZE_EVERY_MS = 10 * 60 * 1000;

async function openPostgres(config: { url: string; poolSize: number }, migrationsFolder: string): Promise<Database> {
  const { Pool } = (await import("pg")).default;
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const pool = new Pool({ connectionString: config.url, max: config.poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const db = drizzle({ client: pool, schema });
  const lockClient = await pool.connect();
  try {
    await lockClient.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await migrate(drizzle({ client: lockClient, schema }), { migrationsFolder });
  } finally {
    await lockClient.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    lockClient.release();
  }
  return { db: db as unknown as Db, sql: pgRunner(pool), kind: "postgres", close: () => pool.end() };
}

export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
