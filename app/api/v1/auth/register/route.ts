// POST /api/v1/auth/register: create an account (REGISTER_PER_IP_PER_HOUR per client IP) and sign in.
import { Reply, route } from "@/lib/http/route";
import { register } from "@/lib/use-cases/register";

export const POST = route({ public: true, body: true }, async ({ deps, body, source }) => new Reply(201, await register(deps, { input: body, source })));
