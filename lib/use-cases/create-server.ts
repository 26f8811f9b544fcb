import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import type { Server } from "../domain/types";
import { parseInput, serverNameSchema } from "../domain/validation";
import { errors } from "../errors";
import { COUNT_LIMIT_RETRY_SECONDS } from "./shared/limits";

const schema = z.object({ name: serverNameSchema });

/** The caller becomes owner and first member; the server starts with a #general channel. */
export async function createServer(deps: Deps, { actor, input }: UseCaseContext): Promise<Server> {
  const { name } = parseInput(schema, input);
  if ((await deps.metadata.countServersOwnedBy(actor.userId)) >= deps.limits.serversPerUser) {
    // Not a budget that refills: it holds until one of theirs is deleted.
    throw errors.rateLimited(COUNT_LIMIT_RETRY_SECONDS, `One person may own at most ${deps.limits.serversPerUser} servers.`);
  }
  const server = await deps.metadata.createServer({
    server: { id: deps.ids.next(), name, ownerId: actor.userId },
    generalChannel: { id: deps.ids.next(), name: "general" },
    joinedAt: deps.now(),
  });
  await deps.events.publish({ type: "server.joined", userId: actor.userId, server });
  return server;
}
