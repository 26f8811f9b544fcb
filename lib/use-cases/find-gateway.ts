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

export async function findGateway(deps: Deps, { actor, input }: UseCaseContext<GatewayLookup>): Promise<{ url: string }> {
  const budget = await deps.gatewayLookupLimiter.consume(`gateway-lookups:${actor.userId}`);
  if (!budget.allowed) throw errors.budgetSpent(budget.retryAfterMs, "Too many gateway lookups; retry shortly.");
  const url = rendezvousPick(actor.userId, await deps.gateways.live());
  if (url === undefined) throw errors.unavailable("No gateway node is available; retry shortly.");
  return { url: url === SAME_ORIGIN ? input.origin : url };
}
