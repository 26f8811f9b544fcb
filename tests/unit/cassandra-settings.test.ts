// Cassandra settings: parsed from the environment once, refused at start when malformed.
import { describe, expect, test } from "vitest";
import { parseContactPoints, parseReplication, replicationCql } from "../../lib/adapters/cassandra/settings";
import { keyspaceCql } from "../../lib/adapters/cassandra/schema";
import { readEnv } from "../../lib/config/env";
import { messageStoreFromEnv, resolveConfig } from "../../server/config";

const envWith = (vars: Record<string, string>) => readEnv(vars as NodeJS.ProcessEnv);

describe("which message store", () => {
  test("without contact points, history stays in the database", () => {
    expect(resolveConfig({}, envWith({})).messages).toEqual({ kind: "database" });
    expect(resolveConfig({}, envWith({ CASSANDRA_CONTACT_POINTS: " , " })).messages).toEqual({ kind: "database" });
  });

  test("contact points select Cassandra with the documented defaults", () => {
    expect(messageStoreFromEnv(envWith({ CASSANDRA_CONTACT_POINTS: "10.0.0.1:9042, 10.0.0.2" }))).toEqual({
      kind: "cassandra",
      contactPoints: ["10.0.0.1:9042", "10.0.0.2"],
      localDataCenter: "datacenter1",
      keyspace: "parley",
      replication: { class: "SimpleStrategy", replicationFactor: 1 },
      consistency: "LOCAL_QUORUM",
      requestTimeoutMs: 3000,
    });
  });

  test("every setting can be changed", () => {
    const config = messageStoreFromEnv(
      envWith({
        CASSANDRA_CONTACT_POINTS: "scylla-1",
        CASSANDRA_LOCAL_DC: "eu-west",
        CASSANDRA_KEYSPACE: "chat_prod",
        CASSANDRA_REPLICATION: "NetworkTopologyStrategy:eu-west=3,us-east=3",
        CASSANDRA_CONSISTENCY: "EACH_QUORUM",
        CASSANDRA_REQUEST_TIMEOUT_MS: "1500",
      }),
    );
    expect(config).toMatchObject({
      localDataCenter: "eu-west",
      keyspace: "chat_prod",
      replication: { class: "NetworkTopologyStrategy", dataCenters: { "eu-west": 3, "us-east": 3 } },
      consistency: "EACH_QUORUM",
      requestTimeoutMs: 1500,
    });
  });

  test.each([
    ["CASSANDRA_REPLICATION", "SimpleStrategy"],
    ["CASSANDRA_REPLICATION", "SimpleStrategy:0"],
    ["CASSANDRA_REPLICATION", "NetworkTopologyStrategy:dc1"],
    ["CASSANDRA_REPLICATION", "NetworkTopologyStrategy:dc1=3,dc1=2"],
    ["CASSANDRA_REPLICATION", "NetworkTopologyStrategy:dc'1=3"],
    ["CASSANDRA_REPLICATION", "EverywhereStrategy:1"],
    ["CASSANDRA_KEYSPACE", "parley; DROP KEYSPACE x"],
    ["CASSANDRA_KEYSPACE", "1parley"],
    ["CASSANDRA_CONSISTENCY", "QUORUMISH"],
    ["CASSANDRA_CONSISTENCY", "SERIAL"],
    ["CASSANDRA_REQUEST_TIMEOUT_MS", "5"],
  ])("%s=%s is refused at start, naming the variable", (name, value) => {
    expect(() => envWith({ CASSANDRA_CONTACT_POINTS: "db", [name]: value })).toThrow(new RegExp(name));
  });
});

describe("replication", () => {
  test("renders the CQL map for either strategy", () => {
    expect(replicationCql(parseReplication("SimpleStrategy:1"))).toBe("{'class': 'SimpleStrategy', 'replication_factor': 1}");
    expect(replicationCql(parseReplication("NetworkTopologyStrategy:dc1=3, dc2=2"))).toBe("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}");
  });

  test("the keyspace is created only when missing, so an operator's changes are never undone", () => {
    expect(keyspaceCql("parley", parseReplication("SimpleStrategy:3"))).toMatch(/^CREATE KEYSPACE IF NOT EXISTS parley\s/);
  });

  test("contact points are split on commas and trimmed", () => {
    expect(parseContactPoints(" a:1 ,b,, c:9043 ")).toEqual(["a:1", "b", "c:9043"]);
  });
});
