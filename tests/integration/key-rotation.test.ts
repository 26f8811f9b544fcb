// Rotation of the message key ring on every store, with rows read back raw through each
// driver: content is never the plain text and always names its key; a legacy plain-text row
// reads; with a second key added, old rows still open and new ones use it; `npm run reencrypt`
// moves every row to the newest key (in small batches, resumable); then the old key can go.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import cassandra from "cassandra-driver";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { openCassandra } from "../../lib/adapters/cassandra/client";
import { CassandraMessageStore } from "../../lib/adapters/cassandra/message-store";
import { keyspaceCql, messagesTableCql } from "../../lib/adapters/cassandra/schema";
import { openDatabase } from "../../lib/adapters/db/client";
import { messageStoreOn } from "../../lib/adapters/db/message-store";
import { MessageCipher } from "../../lib/crypto/message-cipher";
import { bucketOf } from "../../lib/ids/bucket";
import { timestampOf } from "../../lib/ids/snowflake";
import { readEnv } from "../../lib/config/env";
import type { MessageResealer, MessageRowStore, StoredMessage } from "../../lib/ports/message-store";
import { ProgressFile, resealAll } from "../../server/reencrypt/run";
import { MIGRATIONS, uniqueIds } from "../contract/databases";
import { cassandraSettings } from "../support/cassandra";
import { createThrowAwayDatabase } from "../support/database";
import { keyOf, testKeyRing } from "../support/keys";
import { reencrypt } from "../support/reencrypt";

const A = `a:${keyOf(1)}`;
const B = `b:${keyOf(2)}`;
const cipherOf = (spec: string) => new MessageCipher(testKeyRing(spec));
const ids = uniqueIds();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface RawRow {
  keyId: string | null;
  content: string;
}

/** One store kind: stores under a given key ring, its rows read raw, and how the command reaches it. */
interface Target {
  store(keys: string): MessageRowStore & MessageResealer;
  raw(channelId: string, id: string): Promise<RawRow>;
  insertLegacy(m: StoredMessage): Promise<void>;
  commandEnv: Record<string, string>;
  close(): Promise<void>;
}

const message = (channelId: string, content: string): StoredMessage => {
  const id = ids.next();
  return { id, channelId, serverId: "1", authorId: "2", content, createdAt: new Date(timestampOf(id)).toISOString() };
};

function describeRotation(name: string, open: () => Promise<Target>) {
  describe(`key rotation on ${name}`, () => {
    test("raw rows are sealed with a key id; legacy rows read; A -> A,B -> reencrypt -> B only", { timeout: 120_000 }, async () => {
      const target = await open();
      try {
        const channelId = ids.next();
        const legacy = message(channelId, "legacy plain text from before");
        await target.insertLegacy(legacy);
        const underA = message(channelId, "sealed under key a");
        const storeA = target.store(A);
        expect((await storeA.insert(underA)).inserted).toBe(true);

        const rawA = await target.raw(channelId, underA.id);
        expect(rawA.keyId).toBe("a");
        expect(rawA.content).not.toContain("sealed under");
        expect(Buffer.from(rawA.content, "base64").includes(Buffer.from("sealed under key a"))).toBe(false);
        expect((await target.raw(channelId, legacy.id)).keyId).toBeNull();
        expect((await storeA.get(channelId, legacy.id))?.content).toBe("legacy plain text from before");

        // B added (last, so it writes): old rows still open, new ones use B.
        const storeAB = target.store(`${A},${B}`);
        expect((await storeAB.get(channelId, underA.id))?.content).toBe("sealed under key a");
        const underB = message(channelId, "sealed under key b");
        await storeAB.insert(underB);
        expect((await target.raw(channelId, underB.id)).keyId).toBe("b");

        // The command, as an operator runs it while the store serves: in batches of two.
        const stateDir = mkdtempSync(path.join(tmpdir(), "parley-rotation-"));
        dirs.push(stateDir, `${stateDir}-secrets`);
        const env = { ...target.commandEnv, MESSAGE_KEYS: `${A},${B}`, DATA_DIR: stateDir };
        const first = await reencrypt(["--batch-size", "2", "--pause-ms", "0"], env);
        expect(first.stderr).toMatch(/sealed again with key b/);
        expect(first.code).toBe(0);
        for (const m of [legacy, underA, underB]) {
          const raw = await target.raw(channelId, m.id);
          expect(raw.keyId).toBe("b");
          expect(raw.content).not.toContain(m.content);
        }
        // Resumable: a finished walk is not repeated; --restart walks again and finds nothing stale.
        expect((await reencrypt([], env)).stderr).toMatch(/nothing to do/);
        expect((await reencrypt(["--restart"], env)).stderr).toMatch(/3 rows read, 0 sealed again/);

        // A removed: everything reads under B alone.
        const storeB = target.store(B);
        expect((await storeB.list(channelId, { limit: 10 })).map((m) => m.content)).toEqual(["sealed under key b", "sealed under key a", "legacy plain text from before"]);
        // And under A alone, the rows are refused rather than misread.
        await expect(target.store(A).get(channelId, underB.id)).rejects.toThrow(/key "b", which is not in the key ring/);
      } finally {
        await target.close();
      }
    });
  });
}

// The embedded store (its command is the server's own background walk, tested end to end in
// encryption-at-rest.test.ts): an interrupted walk resumes from its saved place.
describe("re-encryption on PGlite", () => {
  test("a walk stopped after its first batch resumes where it stopped", async () => {
    const database = await openDatabase({ kind: "pglite", dataDir: "memory://" }, MIGRATIONS);
    try {
      const store = messageStoreOn(database, { nonceTtlMs: 60_000, cipher: cipherOf(A) });
      const channelId = ids.next();
      for (let i = 0; i < 5; i++) await store.insert(message(channelId, `m${i}`));
      const dir = mkdtempSync(path.join(tmpdir(), "parley-resume-"));
      dirs.push(dir);
      const next = messageStoreOn(database, { nonceTtlMs: 60_000, cipher: cipherOf(`${A},${B}`) });
      const stop = new AbortController();
      const options = { scope: "database", writeKey: "b", batchSize: 2, pauseMs: 0, progress: ProgressFile.in(dir) };
      const interrupted = await resealAll(next, { ...options, signal: stop.signal, onBatch: () => stop.abort() });
      expect(interrupted).toEqual({ scanned: 2, resealed: 2, complete: false });
      const resumed = await resealAll(next, options);
      expect(resumed).toEqual({ scanned: 3, resealed: 3, complete: true });
      expect((await messageStoreOn(database, { nonceTtlMs: 60_000, cipher: cipherOf(B) }).list(channelId, { limit: 10 })).map((m) => m.content)).toEqual(["m4", "m3", "m2", "m1", "m0"]);
    } finally {
      await database.close();
    }
  });
});

const postgresUrl = readEnv().DATABASE_URL;
if (postgresUrl) {
  describeRotation("PostgreSQL", async () => {
    const throwAway = await createThrowAwayDatabase(postgresUrl, "rotation");
    const database = await openDatabase({ kind: "postgres", url: throwAway.url, poolSize: 2 }, MIGRATIONS);
    const client = new pg.Client({ connectionString: throwAway.url });
    await client.connect();
    return {
      store: (keys) => messageStoreOn(database, { nonceTtlMs: 60_000, cipher: cipherOf(keys) }),
      raw: async (channelId, id) => {
        const { rows } = await client.query("select key_id, content from messages where channel_id = $1 and bucket = $2 and id = $3", [channelId, bucketOf(id), id]);
        return { keyId: rows[0].key_id, content: rows[0].content };
      },
      insertLegacy: async (m) => {
        await client.query("insert into messages (channel_id, bucket, id, server_id, author_id, content, created_at) values ($1, $2, $3, $4, $5, $6, $7)", [m.channelId, bucketOf(m.id), m.id, m.serverId, m.authorId, m.content, m.createdAt]);
      },
      commandEnv: { DATABASE_URL: throwAway.url, AUTH_SECRET: "rotation-test-secret-that-is-long-enough" },
      close: async () => {
        await client.end();
        await database.close();
        await throwAway.drop();
      },
    };
  });
} else {
  describe.skip("key rotation on PostgreSQL", () => test("needs DATABASE_URL", () => {}));
}

const cassandraBase = cassandraSettings("key rotation");
if (cassandraBase) {
  describeRotation("Cassandra", async () => {
    const keyspace = `parley_rotation_${process.pid}_${Date.now().toString(36)}`;
    const settings = { ...cassandraBase, keyspace };
    // The table as the release before encryption created it: opening it adds key_id.
    const bare = new cassandra.Client({ contactPoints: settings.contactPoints, localDataCenter: settings.localDataCenter });
    try {
      await bare.execute(keyspaceCql(keyspace, settings.replication));
      await bare.execute(messagesTableCql(keyspace).replace(/\n\s*key_id text,/, ""));
      const columns = await bare.execute("SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = 'messages'", [keyspace], { prepare: true });
      expect(columns.rows.map((r) => r.get("column_name"))).not.toContain("key_id");
    } finally {
      await bare.shutdown();
    }
    const client = await openCassandra(settings);
    const table = `${keyspace}.messages`;
    const options: cassandra.QueryOptions = { prepare: true };
    return {
      store: (keys) => new CassandraMessageStore(client, { keyspace, consistency: settings.consistency, cipher: cipherOf(keys) }),
      raw: async (channelId, id) => {
        const row = (await client.execute(`SELECT key_id, content FROM ${table} WHERE channel_id = ? AND bucket = ? AND message_id = ?`, [BigInt(channelId), bucketOf(id), BigInt(id)], options)).first();
        return { keyId: (row.get("key_id") as string | null) ?? null, content: row.get("content") as string };
      },
      insertLegacy: async (m) => {
        await client.execute(`INSERT INTO ${table} (channel_id, bucket, message_id, server_id, author_id, content) VALUES (?, ?, ?, ?, ?, ?)`, [BigInt(m.channelId), bucketOf(m.id), BigInt(m.id), BigInt(m.serverId), BigInt(m.authorId), m.content], options);
      },
      commandEnv: { CASSANDRA_CONTACT_POINTS: settings.contactPoints.join(","), CASSANDRA_KEYSPACE: keyspace, CASSANDRA_LOCAL_DC: settings.localDataCenter, AUTH_SECRET: "rotation-test-secret-that-is-long-enough" },
      close: async () => {
        await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => {});
        await client.shutdown();
      },
    };
  });
}
