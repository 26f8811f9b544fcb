import type { Deps, UseCaseContext } from "../deps";
import type { ChosenStatus, Server, User } from "../domain/types";
import { announcePresence } from "./set-presence";

/**
 * A gateway connection opened: the user is online and gets their servers for `ready`, plus
 * the status they chose earlier (a client cannot learn it otherwise: presence is not echoed).
 */
export async function openConnection(
  deps: Deps,
  { actor, input }: UseCaseContext<{ connectionId: string }>,
): Promise<{ user: User; servers: Server[]; status: ChosenStatus }> {
  const joined = await deps.metadata.listServersWithSizesOf(actor.userId);
  const sizes = joined.map(({ server, memberCount }) => ({ serverId: server.id, memberCount }));
  await announcePresence(deps, actor.userId, await deps.presence.connect(actor.userId, input.connectionId), sizes);
  return { user: actor.user, servers: joined.map((s) => s.server), status: await deps.presence.getChosenStatus(actor.userId) };
}

/**
 * A gateway connection resumed (contract v2 "Resume": the same connection id, its rooms kept):
 * its presence lease is taken over (the user stays online, or is online again); no `ready`.
 */
export async function resumeConnection(deps: Deps, { actor, input }: UseCaseContext<{ connectionId: string }>): Promise<void> {
  await announcePresence(deps, actor.userId, await deps.presence.connect(actor.userId, input.connectionId));
}
