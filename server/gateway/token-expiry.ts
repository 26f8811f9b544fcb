// Connections close when their token expires (contract v2). One timer per gateway, not one per
// socket (an idle connection stays cheap, docs/performance.md "connections"): sockets wait in
// buckets of one second by their token's expiry; each tick closes the buckets that came due
// since the last (a lookup per second, whatever the number of sockets).
import type { Socket } from "socket.io";

const TICK_MS = 1_000;

export class TokenExpiry {
  private readonly buckets = new Map<number, Set<Socket>>();
  private readonly timer: NodeJS.Timeout;
  private checkedUpTo: number;

  constructor(private readonly now: () => number = Date.now) {
    this.checkedUpTo = this.secondOf(now()) - 1;
    this.timer = setInterval(() => this.closeDue(), TICK_MS);
    this.timer.unref();
  }

  /** Closes `socket` in the first tick after `expiresAt` (ms since the epoch). */
  track(socket: Socket, expiresAt: number): void {
    const second = Math.max(this.secondOf(expiresAt), this.checkedUpTo + 1);
    let bucket = this.buckets.get(second);
    if (!bucket) this.buckets.set(second, (bucket = new Set()));
    bucket.add(socket);
  }

  /** The socket went away first (call from its disconnect handler). */
  forget(socket: Socket, expiresAt: number): void {
    const second = Math.max(this.secondOf(expiresAt), 0);
    for (const s of [second, this.checkedUpTo + 1]) {
      const bucket = this.buckets.get(s);
      if (bucket?.delete(socket) && bucket.size === 0) this.buckets.delete(s);
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.buckets.clear();
  }

  private closeDue(): void {
    const nowSecond = this.secondOf(this.now()) - 1; // buckets whose whole second has passed
    for (let second = this.checkedUpTo + 1; second <= nowSecond; second++) {
      const sockets = this.buckets.get(second);
      if (!sockets) continue;
      this.buckets.delete(second);
      for (const socket of sockets) socket.disconnect(true);
    }
    this.checkedUpTo = Math.max(this.checkedUpTo, nowSecond);
  }

  private secondOf(ms: number): number {
    return Math.floor(ms / TICK_MS);
  }
}
