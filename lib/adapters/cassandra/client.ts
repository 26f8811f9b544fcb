// Connects to a Cassandra/ScyllaDB cluster and makes sure the keyspace and table exist.
import cassandra from "cassandra-driver";
import { ADDED_COLUMNS, MESSAGES_TABLE, schemaCql } from "./schema";
import type { CassandraSettings } from "./settings";

/**
 * A connected client. Fails (rather than starting half-working) when no contact point answers,
 * so a misconfigured node never joins a load balancer.
 */
export async function openCassandra(settings: CassandraSettings): Promise<cassandra.Client> {
  const client = new cassandra.Client({
    contactPoints: settings.contactPoints,
    localDataCenter: settings.localDataCenter,
    // Ids are 64-bit: BigInt in and out, never a lossy Number or a Long.
    encoding: { useBigIntAsLong: true, useUndefinedAsUnset: true },
    socketOptions: { connectTimeout: 5_000, readTimeout: settings.requestTimeoutMs },
    // After an outage, come back within seconds (the default backs off up to ten minutes).
    policies: { reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(500, 5_000, false) },
    pooling: { heartBeatInterval: 10_000 },
  });
  try {
    await client.connect();
    // Schema statements cannot be prepared; they are fixed strings from schema.ts. The driver
    // waits for schema agreement after each one.
    for (const statement of schemaCql(settings.keyspace, settings.replication)) await client.execute(statement);
    await addMissingColumns(client, settings.keyspace);
    return client;
  } catch (err) {
    await client.shutdown().catch(() => {});
    // The driver's message inspects every inner error over many lines; the first says enough.
    const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0];
    throw new Error(`Cannot use Cassandra at ${settings.contactPoints.join(", ")} (data center ${settings.localDataCenter}): ${reason}`);
  }
}

/** Brings a table created by an older Parley up to date (schema.ts, ADDED_COLUMNS). */
async function addMissingColumns(client: cassandra.Client, keyspace: string): Promise<void> {
  const rs = await client.execute("SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?", [keyspace, MESSAGES_TABLE], { prepare: true });
  const present = new Set(rs.rows.map((row) => String(row.get("column_name"))));
  for (const [name, type] of ADDED_COLUMNS) {
    if (!present.has(name)) await client.execute(`ALTER TABLE ${keyspace}.${MESSAGES_TABLE} ADD ${name} ${type}`);
  }
}
