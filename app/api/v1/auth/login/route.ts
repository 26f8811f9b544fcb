// POST /api/v1/auth/login: exchange a username and password for a bearer token.
import { route } from "@/lib/http/route";
import { login } from "@/lib/use-cases/login";

export const POST = route({ public: true, body: true }, ({ deps, body }) => login(deps, { input: body }));
