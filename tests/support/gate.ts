// A gate a test can close to hold answers back (a slow read) and open to let them through.
export class Gate {
  private closed?: Promise<void>;
  private opener?: () => void;

  hold(): void {
    this.closed = new Promise((resolve) => (this.opener = resolve));
  }

  release(): void {
    this.opener?.();
    this.closed = undefined;
  }

  /** Resolves at once while open; while held, when released. */
  async pass(): Promise<void> {
    await this.closed;
  }
}
