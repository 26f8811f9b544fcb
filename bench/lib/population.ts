// Who connects: seeded Parley users (through the REST API) or synthetic baseline clients, both
// as ClientSpecs grouped in rooms of the same sizes, spread over the target's gateway URLs.
import { JsonClient } from "./http";
import type { ClientSpec } from "./protocol";
import { seedServers, seedUsers, type SeededServer, type SeededUser } from "./seed";
import type { Target } from "./targets";

export interface Seeding {
  users: number;
  servers: number;
  registerSeconds: number;
  serversSeconds: number;
  restartSeconds: number;
}

export interface Population {
  clients: ClientSpec[];
  seeding?: Seeding;
  servers: SeededServer[];
  users: SeededUser[];
}

/**
 * Registers `users` users in servers of `serverSize` (0: no servers), then restarts the
 * server so the measurements start from a fresh process rather than the seeding's heap.
 */
export async function seededPopulation(
  target: Target,
  users: number,
  serverSize: number,
  { restart, connectionsPerUser = 1 }: { restart: boolean; connectionsPerUser?: number },
): Promise<Population> {
  const api = new JsonClient(target.apiUrl, 16);
  let t = performance.now();
  const seeded = await seedUsers(api, users);
  const registerSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const servers = serverSize > 0 ? await seedServers(api, seeded, serverSize) : [];
  const serversSeconds = (performance.now() - t) / 1000;
  api.close();
  t = performance.now();
  if (restart) await target.restart();
  const restartSeconds = (performance.now() - t) / 1000;
  const roomOf = new Map<string, SeededServer>();
  for (const s of servers) for (const m of s.members) roomOf.set(m.id, s);
  // A user's extra connections (tabs) come `users` positions apart, so senders rotating over
  // the connections spread each user's sends out in time (the rate limit is per user).
  const copies = Array.from({ length: connectionsPerUser }, () => seeded).flat();
  const clients = copies.map((u, i) => ({
    url: target.gatewayUrls[i % target.gatewayUrls.length]!,
    token: u.token,
    userId: u.id,
    username: u.username,
    room: roomOf.get(u.id)?.id ?? "none",
    channelId: roomOf.get(u.id)?.channelId,
  }));
  return { clients, servers, users: seeded, seeding: { users, servers: servers.length, registerSeconds, serversSeconds, restartSeconds } };
}

/** The baseline's clients: the same number, in rooms of the same sizes, with made-up ids. */
export function syntheticPopulation(target: Target, users: number, roomSize: number): Population {
  const clients = Array.from({ length: users }, (_, i) => ({
    url: target.gatewayUrls[i % target.gatewayUrls.length]!,
    userId: String(130000000000000000n + BigInt(i)),
    username: `bws_${i}`,
    room: `room${Math.floor(i / roomSize)}`,
  }));
  return { clients, servers: [], users: [] };
}
