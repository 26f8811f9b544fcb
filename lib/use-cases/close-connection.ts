import type { Deps, UseCaseContext } from "../deps";
import { announcePresence } from "./set-presence";

/** A gateway connection closed: the user goes offline when it was their last one. */
export async function closeConnection(deps: Deps, { actor, input }: UseCaseContext<{ connectionId: string }>): Promise<void> {
  await announcePresence(deps, actor.userId, await deps.presence.disconnect(actor.userId, input.connectionId));
}
