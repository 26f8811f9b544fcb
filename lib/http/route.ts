// Next.js route handlers: each app/api route is one `route(options, handler)` call.
import { errors } from "../errors";
import { CLIENT_IP_HEADER } from "./client-ip";
import { answer, answerError, readBodyWithinLimit, type ApiAnswer, type ApiRoute, type Handler, type RouteOptions } from "./api-call";

export { Reply, type RouteInput, type RouteOptions } from "./api-call";

type Params = Record<string, string | string[] | undefined>;

/** Adapts a route to Next's (Request, {params}) => Response. */
export function nextHandler(api: ApiRoute) {
  return async (req: Request, context: { params: Promise<Params> }): Promise<Response> => {
    const result = await answer(api, {
      authorization: req.headers.get("authorization"),
      cookie: req.headers.get("cookie"),
      source: { origin: req.headers.get("origin"), secFetchSite: req.headers.get("sec-fetch-site"), host: req.headers.get("host") },
      clientIp: req.headers.get(CLIENT_IP_HEADER),
      contentLength: req.headers.get("content-length"),
      params: flatten(await context.params),
      query: Object.fromEntries(new URL(req.url).searchParams),
      body: req.body as AsyncIterable<Uint8Array> | null,
    });
    return toResponse(result);
  };
}

function toResponse(result: ApiAnswer): Response {
  return result.json === undefined
    ? new Response(null, { status: result.status, headers: result.headers })
    : Response.json(result.json, { status: result.status, headers: result.headers });
}

/**
 * For handlers that are not `route()`s (next-auth's): the request's body read within the REST
 * limit, or the contract's 413 to answer instead. `body` is undefined when there was none.
 */
export async function bodyWithinLimit(req: Request): Promise<{ body?: Buffer; refusal?: Response }> {
  try {
    const body = await readBodyWithinLimit(req.headers.get("content-length"), req.body as AsyncIterable<Uint8Array> | null);
    return { body: req.body ? body : undefined };
  } catch (err) {
    return { refusal: toResponse(answerError(err)) };
  }
}

/**
 * next-auth (v4) parses a POST body typed application/json itself and throws on one that does
 * not parse, which answered 500 (found by the fuzz tier). Such a body, or JSON that is not an
 * object, is the contract's 400 instead; `body` is what bodyWithinLimit read.
 */
export function unparsableJsonRefusal(req: Request, body: Buffer | undefined): Response | undefined {
  if (req.method !== "POST" || body === undefined || !req.headers.get("content-type")?.includes("application/json")) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(body));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return undefined;
  } catch {
    /* refused below */
  }
  return toResponse(answerError(errors.validation("The body must be a JSON object.")));
}

export function route(options: RouteOptions, handler: Handler) {
  return nextHandler({ options, handler });
}

function flatten(params: Params | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (typeof v === "string") out[k] = v;
  return out;
}
