// Many members at once for member-list tests: users and memberships written straight through
// the server's own stores (registering hundreds through REST would mostly time argon2), each
// with a token signed by the server, so they connect like anyone else.
import type { Server } from "../../lib/domain/types";
import type { TestUser } from "./api";
import type { ParleyServer } from "./server";

let seq = 0;

/** Adds `count` members to `guild`, named `${prefix}NNNN` (display names sort by number). */
export async function addCrowd(server: ParleyServer, guild: Server, count: number, prefix = "crowd"): Promise<TestUser[]> {
  const { deps } = server;
  const run = `${process.pid % 10_000}${++seq}`;
  const users: TestUser[] = [];
  for (let i = 0; i < count; i++) {
    const id = deps.ids.next();
    const name = `${prefix}${String(i).padStart(4, "0")}`;
    const user = await deps.metadata.createUser({ id, username: `${name}_${run}`.slice(0, 32), displayName: name, passwordHash: "not-a-real-hash" });
    if (!user) throw new Error(`could not create ${name}`);
    await deps.metadata.addMember(guild.id, id, new Date());
    users.push({ user, token: await deps.tokens.sign({ sub: id, sid: id }) });
  }
  return users;
}
