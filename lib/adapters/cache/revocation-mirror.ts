// SessionRevocations kept in this process's memory, so that checking a token costs a map
// lookup: loaded from the durable log at start, told at once of this node's revocations and
// (through the channel) of every other node's, and, where other nodes write the same log,
// polling it as a safety net for a pub/sub message lost while Redis was away.
import type { Logger } from "../../logger";
import type { Snowflake } from "../../ids/snowflake";
import type { Revocation, RevocationChannel, RevocationLog, SessionRevocations } from "../../ports/session-revocations";

export interface RevocationMirrorOptions {
  /** How often to read the log for other nodes' revocations; 0 where this process is its only writer. */
  pollMs: number;
  now?: () => number;
}

/** A poll reads back this far before the previous one: other nodes' clocks and slow commits. */
const POLL_OVERLAP_MS = 60_000;
const PRUNE_EVERY_MS = 10 * 60_000;

export class RevocationMirror implements SessionRevocations {
  /** Ended sign-ins -> when the last token they issued expires. */
  private readonly sessions = new Map<Snowflake, number>();
  /** Per user: sign-ins opened before this session id have ended (the newest password change). */
  private readonly cutoffs = new Map<Snowflake, { before: bigint; expiresAt: number }>();
  private readonly listeners = new Set<(revocation: Revocation) => void>();
  private timer?: NodeJS.Timeout;
  private polledAt = 0;
  private prunedAt = 0;

  private constructor(
    private readonly durable: RevocationLog,
    private readonly channel: RevocationChannel | undefined,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  static async open(durable: RevocationLog, channel: RevocationChannel | undefined, log: Logger, { pollMs, now = Date.now }: RevocationMirrorOptions): Promise<RevocationMirror> {
    const mirror = new RevocationMirror(durable, channel, log, now);
    await channel?.subscribe((r) => mirror.learn(r));
    mirror.polledAt = now();
    for (const r of await durable.listSince(new Date(0), new Date(mirror.polledAt))) mirror.learn(r);
    if (pollMs > 0) {
      mirror.timer = setInterval(() => void mirror.poll(), pollMs);
      mirror.timer.unref();
    }
    return mirror;
  }

  async revoke(revocation: Revocation): Promise<void> {
    await this.durable.append(revocation);
    this.learn(revocation);
    await this.channel?.publish(revocation);
    await this.pruneNowAndThen(this.now());
  }

  isRevoked(userId: Snowflake, sessionId: Snowflake): boolean {
    const now = this.now();
    const ended = this.sessions.get(sessionId);
    if (ended !== undefined && ended > now) return true;
    const cutoff = this.cutoffs.get(userId);
    return cutoff !== undefined && cutoff.expiresAt > now && BigInt(sessionId) < cutoff.before;
  }

  onRevoked(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.channel?.close();
    this.listeners.clear();
  }

  /** Applies a revocation heard of (any source, any number of times); listeners hear each one once. */
  private learn(r: Revocation): void {
    if (r.expiresAt <= this.now()) return;
    if (r.kind === "session") {
      if ((this.sessions.get(r.sessionId) ?? 0) >= r.expiresAt) return;
      this.sessions.set(r.sessionId, r.expiresAt);
    } else {
      const before = BigInt(r.sessionId);
      const current = this.cutoffs.get(r.userId);
      if (current && current.before >= before) return;
      this.cutoffs.set(r.userId, { before, expiresAt: Math.max(r.expiresAt, current?.expiresAt ?? 0) });
    }
    for (const listener of this.listeners) listener(r);
  }

  private async poll(): Promise<void> {
    const now = this.now();
    try {
      for (const r of await this.durable.listSince(new Date(this.polledAt - POLL_OVERLAP_MS), new Date(now))) this.learn(r);
      this.polledAt = now;
      await this.pruneNowAndThen(now);
    } catch (err) {
      this.log.warn({ err }, "could not read session revocations (will try again)");
    }
  }

  private async pruneNowAndThen(now: number): Promise<void> {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    this.forgetExpired(now);
    await this.durable.prune(new Date(now));
  }

  private forgetExpired(now: number): void {
    for (const [id, expiresAt] of this.sessions) if (expiresAt <= now) this.sessions.delete(id);
    for (const [id, cutoff] of this.cutoffs) if (cutoff.expiresAt <= now) this.cutoffs.delete(id);
  }
}
