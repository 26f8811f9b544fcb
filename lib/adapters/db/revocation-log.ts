// The durable list of ended sign-ins (session_revocations), in the metadata database.
import { and, gte, gt, lte } from "drizzle-orm";
import type { Revocation, RevocationLog } from "../../ports/session-revocations";
import type { Db } from "./client";
import { sessionRevocations } from "./schema";

export class DrizzleRevocationLog implements RevocationLog {
  constructor(private readonly db: Db) {}

  async append(r: Revocation): Promise<void> {
    await this.db
      .insert(sessionRevocations)
      .values({ userId: BigInt(r.userId), kind: r.kind, sessionId: BigInt(r.sessionId), expiresAt: new Date(r.expiresAt), createdAt: new Date() })
      .onConflictDoNothing();
  }

  async listSince(since: Date, now: Date): Promise<Revocation[]> {
    const rows = await this.db
      .select()
      .from(sessionRevocations)
      .where(and(gte(sessionRevocations.createdAt, since), gt(sessionRevocations.expiresAt, now)));
    return rows.map((row) => ({
      kind: row.kind === "before" ? "before" : "session",
      userId: row.userId.toString(),
      sessionId: row.sessionId.toString(),
      expiresAt: row.expiresAt.getTime(),
    }));
  }

  async prune(now: Date): Promise<void> {
    await this.db.delete(sessionRevocations).where(lte(sessionRevocations.expiresAt, now));
  }
}
