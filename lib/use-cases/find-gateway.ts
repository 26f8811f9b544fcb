// GET /api/v1/gateway (contract v2 "Directory"): the gateway node this user should connect to,
// by rendezvous hashing of the user id over the live nodes, so a user keeps their node while
// the set of nodes holds and only the users of a node that joins or leaves move.
import type { Deps, UseCaseContext } from "../deps";
import { rendezvousPick } from "../domain/rendezvous";
import { errors } from "../errors";
import { SAME_ORIGIN } from "../ports/gateway-directory";

export interface GatewayLookup {
  /** Parley's origin as this client reached it: the answer for a node that serves the app's own origin. */
  origin: string;
}

/**
 * The one place that turns the directory's entries into a user's gateway URL: undefined when
 * no node is left (`without` leaves out a node that is draining).
 */
export function gatewayFor(userId: string, live: string[], origin: string, without?: string): string | undefined {
  const url = rendezvousPick(userId, without === undefined ? live : live.filter((u) => u !== without));
  return url === SAME_ORIGIN ? origin : url;
}

export async function findGateway(deps: Deps, { actor, input }: UseCaseContext<GatewayLookup>): Promise<{ url: string }> {
  const budget = await deps.gatewayLookupLimiter.consume(`gateway-lookups:${actor.userId}`);
  if (!budget.allowed) throw errors.budgetSpent(budget.retryAfterMs, "Too many gateway lookups; retry shortly.");
  const url = gatewayFor(actor.userId, await deps.gateways.live(), input.origin);
  if (url === undefined) throw errors.unavailable("No gateway node is available; retry shortly.");
  return { url };
}
