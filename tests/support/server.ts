// Starts a real Parley server on a free port for a test file: in-memory PGlite by default, with
// history in it too (pass `messages` to pick Cassandra; CASSANDRA_* in the environment never does).
import { afterAll, beforeAll } from "vitest";
import { createParleyServer, type ParleyServer } from "../../server/create-server";
import type { ParleyServerOptions } from "../../server/config";

export type { ParleyServer };

export async function startServer(options: ParleyServerOptions = {}): Promise<ParleyServer> {
  return createParleyServer({
    port: 0,
    host: "127.0.0.1",
    dataDir: "memory://",
    database: { kind: "pglite", dataDir: "memory://" },
    messages: { kind: "database" },
    logLevel: "silent",
    // Embedded unless a test asks for Redis, even when REDIS_URL is set for the Redis tiers.
    redis: undefined,
    authSecret: "test-secret-that-is-long-enough-0123456789",
    ...options,
  });
}

/**
 * One server for a whole test file: started before its first test, closed after its last.
 * `onStart` receives it (and typically keeps it and an API client in file-level variables).
 */
export function serverForThisFile(onStart: (server: ParleyServer) => void | Promise<void>, options: ParleyServerOptions = {}): void {
  let server: ParleyServer | undefined;
  beforeAll(async () => {
    server = await startServer(options);
    await onStart(server);
  });
  afterAll(async () => {
    await server?.close();
  });
}
