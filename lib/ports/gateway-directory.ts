// The gateway directory (contract v2 "Directory"): which gateway nodes are alive, by the URL a
// client opens Socket.IO on. Each gateway renews a lease on its entry; a node that dies drops
// out when its lease runs out, one that stops leaves at once.

export interface GatewayDirectory {
  /** Adds or renews this node's entry for `leaseMs` (measured on the directory's own clock). */
  announce(url: string, leaseMs: number): Promise<void>;
  /** Removes the entry now (a node that drains). */
  leave(url: string): Promise<void>;
  /**
   * The URLs whose lease is alive, sorted. Throws UNAVAILABLE when the directory cannot be read
   * and nothing was read before; otherwise answers the last list it read.
   */
  live(): Promise<string[]>;
}

/**
 * The entry of a node that serves the gateway on the app's own origin and knows no URL of its
 * own (the embedded default without PUBLIC_URL): clients get the origin they reached Parley on.
 */
export const SAME_ORIGIN = "same-origin";
