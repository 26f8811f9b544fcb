// GET /api/v1/users/@me/read-states: read marker and newest message of every channel I can read.
import { errors } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { listReadStates } from "@/lib/use-cases/list-read-states";

export const GET = route({}, async ({ deps, actor, params }) => {
  if (params.userId !== "@me") throw errors.notFound("User");
  return listReadStates(deps, { actor, input: {} });
});
