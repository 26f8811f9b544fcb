// GET /api/v1/users/@me: the signed-in user (no other user is readable here).
import { errors } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { getCurrentUser } from "@/lib/use-cases/get-current-user";

export const GET = route({}, async ({ deps, actor, params }) => {
  if (params.userId !== "@me") throw errors.notFound("User");
  return getCurrentUser(deps, { actor, input: {} });
});
