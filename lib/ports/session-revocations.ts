import type { Snowflake } from "../ids/snowflake";

/**
 * An ended sign-in. Every token carries its sign-in's `sid` (a snowflake, so ordered in time);
 * next-auth's rotated cookies keep it, so ending a session ends every token it ever issued.
 * - "session": logout ends that one sign-in;
 * - "before": a password change ends every sign-in of the user opened before `sessionId`.
 * `expiresAt` (ms since the epoch): no token it covers is valid after it, so it can be forgotten.
 */
export interface Revocation {
  kind: "session" | "before";
  userId: Snowflake;
  sessionId: Snowflake;
  expiresAt: number;
}

/**
 * Which sign-ins have ended (contract v2: logout and password change stop tokens "at once
 * everywhere"). `isRevoked` is answered from memory on every authentication, so it costs
 * nothing on the send path; `revoke` resolves once the revocation is durable and visible to
 * this process, and reaches every other node through pub/sub at once (and through polling of
 * the durable log within seconds should a pub/sub message be lost).
 */
export interface SessionRevocations {
  revoke(revocation: Revocation): Promise<void>;
  isRevoked(userId: Snowflake, sessionId: Snowflake): boolean;
  /** Called for every revocation learnt here (this node's or another's): the gateway closes sockets. */
  onRevoked(listener: (revocation: Revocation) => void): () => void;
  close(): Promise<void>;
}

/** Where revocations are kept durably (the metadata database). */
export interface RevocationLog {
  append(revocation: Revocation): Promise<void>;
  /** Revocations still in force (not expired), created at or after `since`. */
  listSince(since: Date, now: Date): Promise<Revocation[]>;
  /** Forgets the expired ones. */
  prune(now: Date): Promise<void>;
}

/** How revocations reach the other nodes at once (Redis pub/sub); absent on a single node. */
export interface RevocationChannel {
  publish(revocation: Revocation): Promise<void>;
  subscribe(listener: (revocation: Revocation) => void): Promise<void>;
  close(): void;
}
