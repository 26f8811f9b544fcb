import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import { chosenStatusSchema, parseInput } from "../domain/validation";
import type { PresenceTransition } from "../ports/presence-store";
import type { Snowflake } from "../ids/snowflake";

const schema = z.object({ status: chosenStatusSchema });

/** The chosen status belongs to the user (all connections) and is remembered. */
export async function setPresence(deps: Deps, { actor, input }: UseCaseContext): Promise<void> {
  const { status } = parseInput(schema, input);
  await announcePresence(deps, actor.userId, await deps.presence.setChosenStatus(actor.userId, status));
}

/** Tells the user's servers about a real change of visible status, once. */
export async function announcePresence(deps: Deps, userId: Snowflake, transition: PresenceTransition): Promise<void> {
  if (!transition.changed) return;
  const serverIds = await deps.metadata.listServerIdsOf(userId);
  await deps.events.publish({ type: "presence.changed", userId, status: transition.after, serverIds });
}
