// The REST transport, independent of any HTTP framework: authenticate, read the body within
// limits, run a use case, and turn the result or error into the contract's JSON. Next's route
// handlers (route.ts) and the custom server's hot routes (server/http/hot-routes.ts) are thin
// adapters around `answer`.
import type { Deps } from "../deps";
import type { Actor } from "../domain/types";
import { AppError, errorBody, errors, httpStatusOf, toAppError } from "../errors";
import { getRuntime } from "../runtime";
import { authenticateSession, type Session } from "../use-cases/authenticate";
import type { SignInSource } from "../use-cases/login";
import { UNKNOWN_CLIENT_IP } from "./client-ip";
import { tokenFrom } from "./credentials";
import { requestOrigin } from "./request-origin";
import { comesFromForeignSite, type RequestSource } from "./foreign-origin";

const FOREIGN_SITE = "A request signed in by the session cookie must come from Parley's own pages.";

export const MAX_BODY_BYTES = 16 * 1024;

export interface RouteInput {
  deps: Deps;
  actor: Actor;
  /** The sign-in the credential belongs to (absent on public routes). */
  session: Session;
  /** Where the request comes from (login and registration limits count by it). */
  source: SignInSource;
  /** Parley's origin as the client reached it: PUBLIC_URL's when set, else the request's own. */
  origin: string;
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

export type Handler = (input: RouteInput) => Promise<unknown>;

export interface ApiRoute {
  options: RouteOptions;
  handler: Handler;
}

/** A JSON answer with a status other than 200. */
export class Reply {
  constructor(
    readonly status: number,
    readonly data?: unknown,
  ) {}
}

/** One request, as every transport can describe it. */
export interface ApiCall {
  authorization?: string | null;
  cookie?: string | null;
  /** Where a browser says the request comes from (checked for cookie sessions). */
  source?: RequestSource;
  /** The client's address as the server worked it out (lib/http/client-ip.ts). */
  clientIp?: string | null;
  contentLength?: string | null;
  params: Record<string, string>;
  query: Record<string, string>;
  body: AsyncIterable<Uint8Array> | null;
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  /** Absent for an empty body (204). */
  json?: unknown;
}

export async function answer({ options, handler }: ApiRoute, call: ApiCall): Promise<ApiAnswer> {
  const runtime = getRuntime();
  try {
    const session = options.public ? (undefined as unknown as Session) : await authenticateSession(runtime.deps, tokenFrom(call));
    if (!options.public && !call.authorization && comesFromForeignSite(call.source ?? {}, runtime.publicUrl)) throw errors.forbidden(FOREIGN_SITE);
    const text = new TextDecoder("utf-8", { fatal: false }).decode(await readBodyWithinLimit(call.contentLength, call.body));
    const body = options.body ? parseJsonObject(text) : {};
    const source = { clientIp: call.clientIp || UNKNOWN_CLIENT_IP };
    const origin = requestOrigin(call.source?.host, runtime.publicUrl);
    const result = await handler({ deps: runtime.deps, actor: session?.actor, session, source, origin, params: call.params, query: call.query, body });
    if (result instanceof Reply) return { status: result.status, headers: {}, json: result.data };
    return { status: 200, headers: {}, json: result };
  } catch (err) {
    return answerError(err);
  }
}

/** The contract's answer for an error: its status, Retry-After, and the error body. */
export function answerError(err: unknown): ApiAnswer {
  const appError = toAppError(err);
  if (!(err instanceof AppError)) getRuntime().log.error({ err }, "request failed");
  const headers: Record<string, string> = {};
  if (appError.retryAfterSeconds !== undefined) headers["Retry-After"] = String(appError.retryAfterSeconds);
  return { status: httpStatusOf(appError.code), headers, json: errorBody(appError) };
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.validation("The body must be valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw errors.validation("The body must be a JSON object.");
  return value as Record<string, unknown>;
}

/**
 * The body, refused (PAYLOAD_TOO_LARGE) past 16 KiB whether declared or streamed (chunked),
 * without reading more than the limit and one chunk. Every route calls it, whether or not it
 * reads a body, and so do next-auth's routes (app/api/auth).
 */
export async function readBodyWithinLimit(contentLength: string | null | undefined, body: AsyncIterable<Uint8Array> | null): Promise<Buffer> {
  if (Number(contentLength ?? "0") > MAX_BODY_BYTES) throw errors.payloadTooLarge();
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw errors.payloadTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
