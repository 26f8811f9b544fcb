// Every REST route of the public contract, as data, so error tests can run a rule over all of them.
import type { ApiClient, ApiResponse } from "./api";
import { uniqueName } from "./api";

export type PathValues = { serverId: string; channelId: string; code: string };

export interface RouteSpec {
  /** As the spec writes it, e.g. "POST /api/v1/servers/{serverId}/channels". */
  label: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  template: string;
  /** Register and login are the only routes that need no token. */
  public?: boolean;
  /** A body that passes validation, for routes that read one. */
  body?: () => Record<string, unknown>;
  /** Which path segment is a snowflake id, if any. */
  idParam?: "serverId" | "channelId";
}

const route = (method: RouteSpec["method"], template: string, extra: Partial<RouteSpec> = {}): RouteSpec => ({
  label: `${method} ${template}`,
  method,
  template,
  idParam: template.includes("{serverId}") ? "serverId" : template.includes("{channelId}") ? "channelId" : undefined,
  ...extra,
});

export const ROUTES: RouteSpec[] = [
  route("POST", "/api/v1/auth/register", { public: true, body: () => ({ username: uniqueName("reg"), password: "long enough password" }) }),
  route("POST", "/api/v1/auth/login", { public: true, body: () => ({ username: "someone", password: "long enough password" }) }),
  route("GET", "/api/v1/users/@me"),
  route("POST", "/api/v1/auth/logout"),
  route("PUT", "/api/v1/users/@me/password", { body: () => ({ currentPassword: "correct horse battery", newPassword: "a new long password" }) }),
  route("POST", "/api/v1/servers", { body: () => ({ name: "A server" }) }),
  route("GET", "/api/v1/servers"),
  route("GET", "/api/v1/servers/{serverId}"),
  route("POST", "/api/v1/servers/{serverId}/channels", { body: () => ({ name: "a-channel" }) }),
  route("POST", "/api/v1/servers/{serverId}/invites"),
  route("GET", "/api/v1/invites/{code}"),
  route("POST", "/api/v1/invites/{code}"),
  route("DELETE", "/api/v1/servers/{serverId}/members/@me"),
  route("GET", "/api/v1/servers/{serverId}/members"),
  route("POST", "/api/v1/channels/{channelId}/messages", { body: () => ({ content: "hello" }) }),
  route("GET", "/api/v1/channels/{channelId}/messages"),
  route("GET", "/api/v1/gateway"),
];

export const AUTHENTICATED_ROUTES = ROUTES.filter((r) => !r.public);
export const ID_ROUTES = ROUTES.filter((r) => r.idParam !== undefined);
export const BODY_ROUTES = ROUTES.filter((r) => r.body !== undefined);

export function fillPath(template: string, values: Partial<PathValues>): string {
  return template.replace(/\{(serverId|channelId|code)\}/g, (_, key: keyof PathValues) => {
    const value = values[key];
    if (value === undefined) throw new Error(`no value for {${key}} in ${template}`);
    return encodeURIComponent(value);
  });
}

/** Calls `spec` with the given path values, token and body (its valid body by default). */
export function callRoute(
  api: ApiClient,
  spec: RouteSpec,
  values: Partial<PathValues>,
  options: { token?: string; body?: unknown; rawBody?: string; chunked?: boolean } = {},
): Promise<ApiResponse> {
  const body = options.rawBody !== undefined ? undefined : "body" in options ? options.body : spec.body?.();
  return api.request(spec.method, fillPath(spec.template, values), { token: options.token, body, rawBody: options.rawBody, chunked: options.chunked });
}
