// Seeding through the public REST API only: users, servers of a given size, invites, joins.
// Registration hashes a password (argon2) per user, so it is done with bounded concurrency
// and timed apart from the measurements.
import { inParallel, JsonClient } from "./http";

export interface SeededUser {
  id: string;
  username: string;
  token: string;
}

export interface SeededServer {
  id: string;
  channelId: string;
  members: SeededUser[];
}

const PASSWORD = "bench password 1";
const tag = `${(Date.now() % 1e8).toString(36)}${(process.pid % 1296).toString(36)}`;
let counter = 0;

function expect(status: number, res: { status: number; body: unknown }, what: string): void {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
}

export async function seedUsers(api: JsonClient, count: number, concurrency = 8): Promise<SeededUser[]> {
  const users: SeededUser[] = new Array(count);
  await inParallel(count, concurrency, async (i) => {
    const username = `b${tag}_${counter++}`;
    const res = await api.post<{ user: { id: string }; token: string }>("/api/v1/auth/register", { username, password: PASSWORD });
    expect(201, res, "register");
    users[i] = { id: res.body.user.id, username, token: res.body.token };
  });
  return users;
}

/** Groups `users` into servers of `size` members: the first of each group creates it, the rest join by invite. */
export async function seedServers(api: JsonClient, users: SeededUser[], size: number, concurrency = 8): Promise<SeededServer[]> {
  const groups: SeededUser[][] = [];
  for (let i = 0; i < users.length; i += size) groups.push(users.slice(i, i + size));
  const servers: SeededServer[] = new Array(groups.length);
  const invites: string[] = new Array(groups.length);
  await inParallel(groups.length, concurrency, async (g) => {
    const owner = groups[g]![0]!;
    const created = await api.post<{ id: string; channels: Array<{ id: string }> }>("/api/v1/servers", { name: `bench ${g}` }, owner.token);
    expect(201, created, "create server");
    const invite = await api.post<{ code: string }>(`/api/v1/servers/${created.body.id}/invites`, {}, owner.token);
    expect(201, invite, "create invite");
    servers[g] = { id: created.body.id, channelId: created.body.channels[0]!.id, members: groups[g]! };
    invites[g] = invite.body.code;
  });
  const joins: Array<[SeededUser, string]> = [];
  groups.forEach((group, g) => group.slice(1).forEach((u) => joins.push([u, invites[g]!])));
  await inParallel(joins.length, concurrency, async (i) => {
    const [user, code] = joins[i]!;
    const res = await api.post(`/api/v1/invites/${code}`, {}, user.token);
    expect(200, res, "join");
  });
  return servers;
}
