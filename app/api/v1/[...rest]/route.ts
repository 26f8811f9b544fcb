// Any other /api/v1 path: the contract's JSON 404 instead of an HTML page.
import { errorBody, errors } from "@/lib/errors";

const notFound = async () => Response.json(errorBody(errors.notFound("Route")), { status: 404 });

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
