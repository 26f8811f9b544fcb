// Coalesced socket writes. Every write to a TCP socket is a system call, and on loopback (and
// in a VM) the call, not the bytes, is most of what a delivery costs. When a socket is sent a
// broadcast frame within HOLD_MS of its previous one (a busy channel, or a batch of sends
// committed together), the socket is corked until the window ends, so everything due to it
// meanwhile (frames, acks, anything engine.io writes) reaches the kernel in one writev. The
// first frame after a quiet spell is written at once: nothing is held back when idle. The
// bytes on the wire are unchanged, and so is their order: cork only defers the writes of the
// one stream they are all queued on.

/** The part of a net.Socket this touches. */
export interface Corkable {
  cork(): void;
  uncork(): void;
  readonly writableCorked: number;
}

/** The longest a write is held back. */
export const HOLD_MS = 5;

export class BurstCoalescer {
  private readonly corked = new Set<Corkable>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly holdMs = HOLD_MS) {}

  /**
   * Called before a frame is written to `socket`, with the time of this write and of the
   * socket's previous frame (ms, same clock). Corks the socket when the two are close.
   */
  beforeWrite(socket: Corkable, now: number, previous: number): void {
    if (now - previous >= this.holdMs || this.corked.has(socket)) return;
    socket.cork();
    this.corked.add(socket);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.release(), this.holdMs);
      this.timer.unref();
    }
  }

  /** Hands every held socket's writes to the kernel (each in one writev). */
  release(): void {
    this.timer = undefined;
    for (const socket of this.corked) if (socket.writableCorked > 0) socket.uncork();
    this.corked.clear();
  }

  /** Sockets held right now (for tests). */
  get holding(): number {
    return this.corked.size;
  }
}

/** One per process: a single timer serves every socket of every gateway in it. */
export const burstCoalescer = new BurstCoalescer();
