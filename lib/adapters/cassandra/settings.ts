// What Parley needs to know to keep message history in a Cassandra or ScyllaDB cluster.
// Pure parsing only (no driver import), so the env module can validate these at start.

export const CONSISTENCY_LEVELS = ["ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE"] as const;
export type ConsistencyName = (typeof CONSISTENCY_LEVELS)[number];

export type Replication =
  | { class: "SimpleStrategy"; replicationFactor: number }
  | { class: "NetworkTopologyStrategy"; dataCenters: Record<string, number> };

export interface CassandraSettings {
  /** `host` or `host:port` (9042 when no port is given). */
  contactPoints: string[];
  /** The data center this node talks to; required by the driver's load balancing. */
  localDataCenter: string;
  keyspace: string;
  /** Used only when the keyspace does not exist yet: an existing keyspace is never altered. */
  replication: Replication;
  /** For reads and writes alike: LOCAL_QUORUM on both sides means a read sees every acknowledged write. */
  consistency: ConsistencyName;
  /** Budget for one store call (a history page may take several queries). */
  requestTimeoutMs: number;
}

export const KEYSPACE_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;
const DC_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

const factor = (text: string): number => {
  if (!/^[0-9]{1,2}$/.test(text) || Number(text) < 1) throw new Error(`replication factor must be 1–99, got "${text}"`);
  return Number(text);
};

/**
 * `SimpleStrategy:1` (one data center) or `NetworkTopologyStrategy:dc1=3,dc2=3`.
 * Throws a readable error for anything else.
 */
export function parseReplication(text: string): Replication {
  const [strategy, spec = "", ...rest] = text.trim().split(":");
  if (rest.length > 0) throw new Error(`expected STRATEGY:SPEC, got "${text}"`);
  if (strategy === "SimpleStrategy") return { class: "SimpleStrategy", replicationFactor: factor(spec.trim()) };
  if (strategy === "NetworkTopologyStrategy") {
    const dataCenters: Record<string, number> = {};
    for (const part of spec.split(",")) {
      const [dc = "", rf = "", extra] = part.trim().split("=");
      if (extra !== undefined || !DC_PATTERN.test(dc)) throw new Error(`expected dc=factor, got "${part.trim()}"`);
      if (dc in dataCenters) throw new Error(`data center "${dc}" is listed twice`);
      dataCenters[dc] = factor(rf.trim());
    }
    return { class: "NetworkTopologyStrategy", dataCenters };
  }
  throw new Error(`unknown replication strategy "${strategy}" (use SimpleStrategy:N or NetworkTopologyStrategy:dc=N,...)`);
}

export function isValidReplication(text: string): boolean {
  try {
    parseReplication(text);
    return true;
  } catch {
    return false;
  }
}

/** The CQL map literal for `WITH replication = ...` (names are validated, so quoting is safe). */
export function replicationCql(replication: Replication): string {
  if (replication.class === "SimpleStrategy") return `{'class': 'SimpleStrategy', 'replication_factor': ${replication.replicationFactor}}`;
  const dcs = Object.entries(replication.dataCenters).map(([dc, rf]) => `'${dc}': ${rf}`);
  return `{'class': 'NetworkTopologyStrategy', ${dcs.join(", ")}}`;
}

/** `a:9042, b` -> ["a:9042", "b"]; empty entries are dropped. */
export function parseContactPoints(text: string): string[] {
  return text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}
