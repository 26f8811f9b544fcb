// POST /api/v1/auth/login: exchange a username and password for a bearer token (failures limited per username and IP).
import { route } from "@/lib/http/route";
import { login } from "@/lib/use-cases/login";

export const POST = route({ public: true, body: true }, ({ deps, body, source }) => login(deps, { input: body, source }));
