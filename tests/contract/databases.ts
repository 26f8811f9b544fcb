// The databases a Drizzle-backed contract runs against: in-memory PGlite always, and real
// PostgreSQL when DATABASE_URL is set (read through the env module, the one reader of process.env).
import path from "node:path";
import { describe, test } from "vitest";
import { openDatabase, type Database } from "../../lib/adapters/db/client";
import { readEnv } from "../../lib/config/env";
import { SnowflakeGenerator } from "../../lib/ids/snowflake";

export const MIGRATIONS = path.resolve(import.meta.dirname, "../../drizzle");

export interface DatabaseTarget {
  name: string;
  open(): Promise<Database>;
}

/** PGlite, plus PostgreSQL when configured; otherwise a visible skipped suite and a notice. */
export function databaseTargets(suite: string): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [{ name: "PGlite (memory://)", open: () => openDatabase({ kind: "pglite", dataDir: "memory://" }, MIGRATIONS) }];
  const url = readEnv().DATABASE_URL;
  if (url) {
    targets.push({ name: "PostgreSQL (DATABASE_URL)", open: () => openDatabase({ kind: "postgres", url, poolSize: 8 }, MIGRATIONS) });
  } else {
    console.info(`[${suite}] DATABASE_URL is not set: the PostgreSQL run of this contract is skipped.`);
    describe.skip(`${suite} on PostgreSQL`, () => test("needs DATABASE_URL", () => {}));
  }
  return targets;
}

/**
 * Ids that no earlier run against the same database used: a random worker, today's clock.
 * Tests name their own channels, users and servers with these, so runs never collide.
 */
export function uniqueIds(): { next(): string } {
  return new SnowflakeGenerator(Math.floor(Math.random() * 1024));
}
