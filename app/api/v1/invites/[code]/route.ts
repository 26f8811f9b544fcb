// GET /api/v1/invites/{code}: preview an invite. POST: join its server.
import { route } from "@/lib/http/route";
import { acceptInvite } from "@/lib/use-cases/accept-invite";
import { previewInvite } from "@/lib/use-cases/preview-invite";

export const GET = route({}, ({ deps, actor, params }) => previewInvite(deps, { actor, input: params }));

export const POST = route({}, ({ deps, actor, params }) => acceptInvite(deps, { actor, input: params }));
