// The REST transport: authenticate, read the body within limits, run a use case, map the
// result or error to the contract's JSON. Route handlers in app/api stay one call each.
import type { Deps } from "../deps";
import type { Actor } from "../domain/types";
import { AppError, errorBody, errors, httpStatusOf, toAppError } from "../errors";
import { getRuntime } from "../runtime";
import { authenticate } from "../use-cases/authenticate";
import { tokenFrom } from "./credentials";

export const MAX_BODY_BYTES = 16 * 1024;

type Params = Record<string, string | string[] | undefined>;

export interface RouteInput {
  deps: Deps;
  actor: Actor;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body (an object), or {} for routes without one. */
  body: Record<string, unknown>;
}

export interface RouteOptions {
  /** Routes like register/login run without an actor. */
  public?: boolean;
  /** Whether the route reads a JSON body. */
  body?: boolean;
}

/** A JSON answer with a status other than 200. */
export class Reply {
  constructor(
    readonly status: number,
    readonly data?: unknown,
  ) {}
}

type Handler = (input: RouteInput) => Promise<unknown>;

export function route(options: RouteOptions, handler: Handler) {
  return async (req: Request, context: { params: Promise<Params> }): Promise<Response> => {
    const runtime = getRuntime();
    try {
      const actor = options.public ? (undefined as unknown as Actor) : await authenticate(runtime.deps, tokenFrom(headersOf(req)));
      refuseDeclaredOversize(req);
      const body = options.body ? await readJsonBody(req) : await skipBody(req);
      const params = flatten(await context.params);
      const query = Object.fromEntries(new URL(req.url).searchParams);
      const result = await handler({ deps: runtime.deps, actor, params, query, body });
      if (result instanceof Reply) {
        return result.data === undefined ? new Response(null, { status: result.status }) : Response.json(result.data, { status: result.status });
      }
      return Response.json(result);
    } catch (err) {
      return errorResponse(err, runtime.log);
    }
  };
}

function headersOf(req: Request) {
  return { authorization: req.headers.get("authorization"), cookie: req.headers.get("cookie") };
}

function flatten(params: Params | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (typeof v === "string") out[k] = v;
  return out;
}

/** Any route refuses a body declared larger than 16 KiB, whether or not it reads one. */
function refuseDeclaredOversize(req: Request) {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw errors.payloadTooLarge();
}

/** A route without a body still refuses one over 16 KiB, even one sent chunked with no declared length. */
async function skipBody(req: Request): Promise<Record<string, unknown>> {
  await readLimited(req);
  return {};
}

/** Reads at most 16 KiB (413 beyond) and insists on a JSON object (400 otherwise). */
async function readJsonBody(req: Request): Promise<Record<string, unknown>> {
  const text = await readLimited(req);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.validation("The body must be valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw errors.validation("The body must be a JSON object.");
  return value as Record<string, unknown>;
}

async function readLimited(req: Request): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw errors.payloadTooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

function errorResponse(err: unknown, log: { error: (obj: object, msg: string) => void }): Response {
  const appError = toAppError(err);
  if (!(err instanceof AppError)) log.error({ err }, "request failed");
  const headers: Record<string, string> = {};
  if (appError.retryAfterSeconds !== undefined) headers["Retry-After"] = String(appError.retryAfterSeconds);
  return Response.json(errorBody(appError), { status: httpStatusOf(appError.code), headers });
}
