// POST /api/v1/auth/logout: end the sign-in this credential belongs to, everywhere (its sockets close).
import { Reply, route } from "@/lib/http/route";
import { logout } from "@/lib/use-cases/logout";

export const POST = route({}, async ({ deps, session }) => {
  await logout(deps, session);
  return new Reply(204);
});
