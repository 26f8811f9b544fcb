import { z } from "zod";
import type { Deps, UseCaseContext } from "../deps";
import { chosenStatusSchema, parseInput } from "../domain/validation";
import { errors } from "../errors";
import type { PresenceTransition } from "../ports/presence-store";
import type { ServerSize } from "../ports/metadata-store";
import type { Snowflake } from "../ids/snowflake";
import { isLargeServer } from "../domain/member-list/types";

const schema = z.object({ status: chosenStatusSchema });

/** The chosen status belongs to the user (all connections) and is remembered. */
export async function setPresence(deps: Deps, { actor, input }: UseCaseContext): Promise<void> {
  const { status } = parseInput(schema, input);
  const budget = await deps.presenceRateLimiter.consume(`presence:${actor.userId}`);
  if (!budget.allowed) throw errors.budgetSpent(budget.retryAfterMs, "You are changing your status too often.");
  await announcePresence(deps, actor.userId, await deps.presence.setChosenStatus(actor.userId, status));
}

/**
 * Tells the user's servers about a real change of visible status, once: every member of a small
 * server hears it; in a large one, the member list moves the user's row and its watchers hear it.
 * `knownSizes`: the user's servers and member counts when the caller has just read them.
 */
export async function announcePresence(deps: Deps, userId: Snowflake, transition: PresenceTransition, knownSizes?: ServerSize[]): Promise<void> {
  if (!transition.changed) return;
  const { after: status, at } = transition;
  // A connection that just read the user's servers passes their sizes along (one read less per connect).
  const servers = knownSizes ?? (await deps.metadata.listServerSizesOf(userId));
  const small = servers.filter((s) => !isLargeServer(s.memberCount)).map((s) => s.serverId);
  await Promise.all([
    ...servers.map((s) => deps.memberLists.apply(s.serverId, { type: "status", userId, status, at })),
    deps.events.publish({ type: "presence.changed", userId, status, serverIds: small, at }),
  ]);
}
