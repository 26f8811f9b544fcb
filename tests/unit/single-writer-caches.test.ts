// The caches that assume this process is the database's only writer (memberships, recent
// history) are switched on by server/build-deps.ts for the embedded PGlite, and only there.
import { describe, expect, test } from "vitest";
import { RecentMessagesStore } from "../../lib/adapters/cache/recent-messages-store";
import { openDatabase } from "../../lib/adapters/db/client";
import { messageStoreOn } from "../../lib/adapters/db/message-store";
import { DrizzleMetadataStore } from "../../lib/adapters/db/metadata-store";
import { readEnv } from "../../lib/config/env";
import { timestampOf } from "../../lib/ids/snowflake";
import { createLogger } from "../../lib/logger";
import { buildDeps } from "../../server/build-deps";
import { MEMORY, resolveConfig } from "../../server/config";
import { MIGRATIONS, uniqueIds } from "../contract/databases";
import { createThrowAwayDatabase } from "../support/database";
import { testCipher, testKeyRing } from "../support/keys";

const SECRET = "test-secret-that-is-long-enough-0123456789";
const log = createLogger("silent");
const postgresUrl = readEnv().DATABASE_URL;

describe("caches that assume a single writer", () => {
  test("the embedded PGlite, which only this process opens, has them", async () => {
    const config = resolveConfig({ dataDir: MEMORY, database: { kind: "pglite", dataDir: MEMORY }, messages: { kind: "database" }, redis: undefined });
    const built = await buildDeps(config, SECRET, log);
    try {
      expect(built.deps.messages).toBeInstanceOf(RecentMessagesStore);
    } finally {
      await built.close();
    }
  });

  test.skipIf(!postgresUrl)("PostgreSQL has none: a membership and a message another node writes are seen at once", async () => {
    const database = await createThrowAwayDatabase(postgresUrl!, "caches");
    const settings = { kind: "postgres" as const, url: database.url, poolSize: 2 };
    const built = await buildDeps(resolveConfig({ dataDir: MEMORY, database: settings, messages: { kind: "database" }, redis: undefined }), SECRET, log, testKeyRing());
    const otherNode = await openDatabase(settings, MIGRATIONS);
    try {
      const ids = uniqueIds();
      const { metadata, messages } = built.deps;
      const [owner, joiner] = [ids.next(), ids.next()];
      for (const id of [owner, joiner]) await metadata.createUser({ id, username: `c${id}`.slice(0, 32), displayName: "C", passwordHash: "h" });
      const server = await metadata.createServer({ server: { id: ids.next(), name: "S", ownerId: owner }, generalChannel: { id: ids.next(), name: "general" }, joinedAt: new Date() });
      const channelId = server.channels[0]!.id;
      expect(await metadata.isMember(server.id, joiner)).toBe(false);
      expect(await messages.list(channelId, { limit: 10 })).toEqual([]);

      await new DrizzleMetadataStore(otherNode.db).addMember(server.id, joiner, new Date());
      const id = ids.next();
      await messageStoreOn(otherNode, { nonceTtlMs: 60_000, cipher: testCipher() }).insert({ id, channelId, serverId: server.id, authorId: joiner, content: "hi", createdAt: new Date(timestampOf(id)).toISOString() });

      expect(await metadata.isMember(server.id, joiner)).toBe(true);
      expect((await messages.list(channelId, { limit: 10 })).map((m) => m.id)).toEqual([id]);
    } finally {
      await otherNode.close();
      await built.close();
      await database.drop();
    }
  });
});
