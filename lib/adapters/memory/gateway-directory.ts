// The directory of a single process (no Redis): the node itself, when it serves the gateway.
import type { GatewayDirectory } from "../../ports/gateway-directory";

export class MemoryGatewayDirectory implements GatewayDirectory {
  private readonly leases = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async announce(url: string, leaseMs: number): Promise<void> {
    this.leases.set(url, this.now() + leaseMs);
  }

  async leave(url: string): Promise<void> {
    this.leases.delete(url);
  }

  async live(): Promise<string[]> {
    const now = this.now();
    for (const [url, until] of this.leases) if (until <= now) this.leases.delete(url);
    return [...this.leases.keys()].sort();
  }
}
