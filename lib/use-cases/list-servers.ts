import type { Deps, UseCaseContext } from "../deps";
import type { Server } from "../domain/types";

/** The caller's servers, each with its channels in order. */
export async function listServers(deps: Deps, { actor }: UseCaseContext): Promise<Server[]> {
  return deps.metadata.listServersOf(actor.userId);
}
