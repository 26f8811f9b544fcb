// PUT /api/v1/users/@me/password: change the password; every other sign-in ends, a new token is returned.
import { errors } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { changePassword } from "@/lib/use-cases/change-password";

export const PUT = route({ body: true }, async ({ deps, session, params, body, source }) => {
  if (params.userId !== "@me") throw errors.notFound("User");
  return changePassword(deps, { session, input: body, source });
});
