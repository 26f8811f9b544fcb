// The Cassandra node a contract or integration suite may use: the one CASSANDRA_CONTACT_POINTS
// names (read through the env module). Without it: a console notice and a visibly skipped suite.
import { describe, test } from "vitest";
import type { CassandraSettings } from "../../lib/adapters/cassandra/settings";
import { readEnv } from "../../lib/config/env";
import { messageStoreFromEnv } from "../../server/config";

export function cassandraSettings(suite: string): CassandraSettings | undefined {
  const config = messageStoreFromEnv(readEnv());
  if (config.kind === "cassandra") {
    const { kind: _kind, ...settings } = config;
    return settings;
  }
  console.info(`[${suite}] CASSANDRA_CONTACT_POINTS is not set: the Cassandra run is skipped (node scripts/cassandra.mjs start).`);
  describe.skip(`${suite} on Cassandra`, () => test("needs CASSANDRA_CONTACT_POINTS", () => {}));
  return undefined;
}
