// Throw-away PostgreSQL databases on the server DATABASE_URL points at, for tests that start
// several nodes on one database of their own. Dropped afterwards (with FORCE: a SIGKILLed node
// may leave connections behind for a moment).
import pg from "pg";

export interface ThrowAwayDatabase {
  url: string;
  drop(): Promise<void>;
}

/** `prefix`: how the database's name starts (a run's own, so its leftovers are easy to tell apart). */
export async function createThrowAwayDatabase(serverUrl: string, label: string, prefix = "parley_"): Promise<ThrowAwayDatabase> {
  const name = `${prefix}${label}_${process.pid}_${Date.now().toString(36)}`.replace(/[^a-z0-9_]/g, "_");
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
