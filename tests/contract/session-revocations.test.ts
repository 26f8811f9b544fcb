// Ended sign-ins as every node sees them: RevocationMirror over the durable log (PGlite, and
// PostgreSQL when DATABASE_URL is set), alone, with a second node learning through its poll,
// and through Redis pub/sub at once (when REDIS_URL is set).
import { afterAll, describe, expect, test } from "vitest";
import { RevocationMirror } from "../../lib/adapters/cache/revocation-mirror";
import type { Database } from "../../lib/adapters/db/client";
import { DrizzleRevocationLog } from "../../lib/adapters/db/revocation-log";
import { createRedisClient } from "../../lib/adapters/redis/client";
import { RedisRevocationChannel } from "../../lib/adapters/redis/revocation-channel";
import type { Revocation } from "../../lib/ports/session-revocations";
import { waitFor } from "../support/gateway";
import { databaseTargets, uniqueIds } from "./databases";
import { redisTarget, silentLog } from "./redis";

const DAY = 24 * 60 * 60 * 1000;
const ids = uniqueIds();
const redis = redisTarget("SessionRevocations");

for (const target of databaseTargets("SessionRevocations")) {
  describe(`RevocationMirror on ${target.name}`, () => {
    let database: Promise<Database> | undefined;
    const mirrors: RevocationMirror[] = [];
    const log = async () => new DrizzleRevocationLog((await (database ??= target.open())).db);
    const open = async (pollMs = 0, channel?: RedisRevocationChannel) => {
      const mirror = await RevocationMirror.open(await log(), channel, silentLog, { pollMs });
      mirrors.push(mirror);
      return mirror;
    };
    afterAll(async () => {
      for (const m of mirrors) await m.close();
      await (await database)?.close();
    });

    test("logout ends that one sign-in; the user's others stay", async () => {
      const mirror = await open();
      const [user, ended, kept] = [ids.next(), ids.next(), ids.next()];
      await mirror.revoke({ kind: "session", userId: user, sessionId: ended, expiresAt: Date.now() + DAY });
      expect(mirror.isRevoked(user, ended)).toBe(true);
      expect(mirror.isRevoked(user, kept)).toBe(false);
    });

    test("a password change ends the sign-ins opened before it, not those after it or other users'", async () => {
      const mirror = await open();
      const [user, other] = [ids.next(), ids.next()];
      const before = ids.next();
      const cut = ids.next();
      const after = ids.next();
      await mirror.revoke({ kind: "before", userId: user, sessionId: cut, expiresAt: Date.now() + DAY });
      expect(mirror.isRevoked(user, before)).toBe(true);
      expect(mirror.isRevoked(user, after)).toBe(false);
      expect(mirror.isRevoked(other, before)).toBe(false);
    });

    test("a node started later knows every revocation still in force; expired ones are forgotten", async () => {
      const first = await open();
      const [user, live, old] = [ids.next(), ids.next(), ids.next()];
      await first.revoke({ kind: "session", userId: user, sessionId: live, expiresAt: Date.now() + DAY });
      await first.revoke({ kind: "session", userId: user, sessionId: old, expiresAt: Date.now() - 1 });
      const later = await open();
      expect(later.isRevoked(user, live)).toBe(true);
      expect(later.isRevoked(user, old)).toBe(false);
    });

    test("another node learns a revocation from its poll, and tells its listeners once", async () => {
      const here = await open();
      const there = await open(50);
      const heard: Revocation[] = [];
      there.onRevoked((r) => heard.push(r));
      const revocation: Revocation = { kind: "session", userId: ids.next(), sessionId: ids.next(), expiresAt: Date.now() + DAY };
      await here.revoke(revocation);
      await waitFor(() => there.isRevoked(revocation.userId, revocation.sessionId), 3_000, "the poll to bring the revocation");
      await new Promise((r) => setTimeout(r, 200)); // a few more polls read it again
      expect(heard).toEqual([revocation]);
    });

    if (redis) {
      test("over Redis, another node learns a revocation at once (no poll)", async () => {
        const channel = () => new RedisRevocationChannel(createRedisClient(redis.url, "store", silentLog), createRedisClient(redis.url, "subscriber", silentLog), silentLog, redis.prefix);
        const here = await open(0, channel());
        const there = await open(0, channel());
        const revocation: Revocation = { kind: "before", userId: ids.next(), sessionId: ids.next(), expiresAt: Date.now() + DAY };
        await here.revoke(revocation);
        await waitFor(() => there.isRevoked(revocation.userId, "1"), 2_000, "pub/sub to bring the revocation");
      });
    }
  });
}
