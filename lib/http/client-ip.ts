// The client's IP address, which login and registration limits count by. The custom server
// works it out once per request (server/http/client-ip.ts) and hands it to Next's route
// handlers in this header, overwriting whatever the client sent under that name.
export const CLIENT_IP_HEADER = "x-parley-client-ip";

/** Used when a transport cannot tell (every such request shares one budget). */
export const UNKNOWN_CLIENT_IP = "unknown";

/**
 * The address `hops` trusted proxies away: with none, the peer's own address; with n, the
 * n-th X-Forwarded-For entry from the right (the entries to its left are the client's claims).
 */
export function clientIpFrom(peerAddress: string | undefined, forwardedFor: string | undefined, hops: number): string {
  const chain = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const address = hops > 0 ? (chain[chain.length - hops] ?? chain[0] ?? peerAddress) : peerAddress;
  return normalize(address ?? UNKNOWN_CLIENT_IP);
}

/** "::ffff:127.0.0.1" and "127.0.0.1" are one client. */
function normalize(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address.slice(0, 64);
}
