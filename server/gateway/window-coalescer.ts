// Leading- and trailing-edge coalescing per key, for what a gateway announces to its own
// connections (channel activity, presence). A connection lives on one gateway, so coalescing
// here, where it is delivered, bounds exactly what each connection hears: at most one
// announcement per key per window.
//
// Per key: the first value after a quiet spell is announced at once (leading edge); the ones
// that follow within the window are folded into the one that replaces the rest, announced when
// the window ends (trailing edge), which opens the next window. A window that ends with nothing pending forgets its key, so memory
// holds only the keys active in the last window.

export interface WindowPolicy<K, V> {
  windowMs: number;
  keyOf(value: V): K;
  /**
   * What is pending once `next` arrives within the window, given what was pending (if anything)
   * and what was last announced; undefined: nothing to announce when the window ends.
   */
  fold(next: V, pending: V | undefined, announced: V): V | undefined;
  /** A throw of `announce` lands here; coalescing goes on. */
  onError?(err: unknown): void;
}

interface Window<V> {
  timer: NodeJS.Timeout;
  announced: V;
  pending?: V;
}

export class WindowCoalescer<K, V> {
  private readonly windows = new Map<K, Window<V>>();
  private closed = false;

  constructor(
    private readonly announce: (value: V) => void,
    private readonly policy: WindowPolicy<K, V>,
  ) {}

  note(value: V): void {
    if (this.closed) return;
    const key = this.policy.keyOf(value);
    const open = this.windows.get(key);
    if (open === undefined) {
      this.windows.set(key, { timer: this.startWindow(key), announced: value });
      this.send(value);
      return;
    }
    open.pending = this.policy.fold(value, open.pending, open.announced);
  }

  /** Keys with an open window (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  /** Drops every window without announcing what is pending; later values are ignored (shutdown). */
  close(): void {
    this.closed = true;
    for (const w of this.windows.values()) clearTimeout(w.timer);
    this.windows.clear();
  }

  private startWindow(key: K): NodeJS.Timeout {
    const timer = setTimeout(() => this.endWindow(key), this.policy.windowMs);
    timer.unref();
    return timer;
  }

  private endWindow(key: K): void {
    const w = this.windows.get(key);
    if (w === undefined) return;
    const { pending } = w;
    if (pending === undefined) {
      this.windows.delete(key);
      return;
    }
    w.pending = undefined;
    w.announced = pending;
    w.timer = this.startWindow(key);
    this.send(pending);
  }

  private send(value: V): void {
    try {
      this.announce(value);
    } catch (err) {
      this.policy.onError?.(err);
    }
  }
}
