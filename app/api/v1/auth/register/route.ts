// POST /api/v1/auth/register: create an account, answer with the user and a bearer token.
import { Reply, route } from "@/lib/http/route";
import { register } from "@/lib/use-cases/register";

export const POST = route({ public: true, body: true }, async ({ deps, body }) => new Reply(201, await register(deps, { input: body })));
