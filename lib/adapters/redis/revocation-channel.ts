// Revocations to every node at once, over Redis pub/sub (a subscriber connection of its own,
// which keeps its subscription across Redis restarts). Best effort: a message lost while Redis
// is away is made up by each node's poll of the durable log (see RevocationMirror).
import type { Redis } from "ioredis";
import type { Logger } from "../../logger";
import type { Revocation, RevocationChannel } from "../../ports/session-revocations";

export class RedisRevocationChannel implements RevocationChannel {
  private readonly channel: string;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly log: Logger,
    prefix = "parley:",
  ) {
    this.channel = `${prefix}session-revocations`;
  }

  async publish(revocation: Revocation): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(revocation)).catch((err: Error) => {
      this.log.warn({ err: err.message }, "could not publish a revocation (other nodes learn it from their next poll)");
    });
  }

  async subscribe(listener: (revocation: Revocation) => void): Promise<void> {
    this.subscriber.on("message", (channel: string, text: string) => {
      if (channel !== this.channel) return;
      const revocation = parseRevocation(text);
      if (revocation) listener(revocation);
    });
    await this.subscriber.subscribe(this.channel);
  }

  close(): void {
    this.subscriber.disconnect();
  }
}

function parseRevocation(text: string): Revocation | null {
  try {
    const r = JSON.parse(text) as Partial<Revocation>;
    if ((r.kind !== "session" && r.kind !== "before") || typeof r.userId !== "string" || typeof r.sessionId !== "string" || typeof r.expiresAt !== "number") return null;
    return { kind: r.kind, userId: r.userId, sessionId: r.sessionId, expiresAt: r.expiresAt };
  } catch {
    return null;
  }
}
