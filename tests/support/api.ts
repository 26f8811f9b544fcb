// A tiny REST client for tests: every call returns status, headers and parsed JSON body.
import type { Server, User } from "../../lib/domain/types";

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (for non-JSON or oversized bodies). */
  rawBody?: string;
  /** Send the body as a stream: chunked, with no Content-Length to trust. */
  chunked?: boolean;
  headers?: Record<string, string>;
}

export interface ApiClient {
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  get<T = any>(path: string, token?: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown, token?: string): Promise<ApiResponse<T>>;
  delete<T = any>(path: string, token?: string): Promise<ApiResponse<T>>;
}

export function apiClient(baseUrl: string): ApiClient {
  const request = async (method: string, path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const init: RequestInit & { duplex?: "half" } = { method, headers, body };
    if (options.chunked && body !== undefined) {
      const bytes = new TextEncoder().encode(body);
      init.body = new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.subarray(i, i + 4096));
          controller.close();
        },
      });
      init.duplex = "half";
    }
    const res = await fetch(baseUrl + path, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text so a test can show it */
    }
    return { status: res.status, headers: res.headers, body: parsed as any };
  };
  return {
    request,
    get: (path, token) => request("GET", path, { token }),
    post: (path, body, token) => request("POST", path, { token, body: body ?? {} }),
    delete: (path, token) => request("DELETE", path, { token }),
  };
}

let counter = 0;
/** A unique, valid username for this test run. */
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`.slice(0, 32);
}

export interface TestUser {
  user: User;
  token: string;
}

export async function registerUser(api: ApiClient, username = uniqueName(), password = "correct horse battery"): Promise<TestUser> {
  const res = await api.post<TestUser>("/api/v1/auth/register", { username, password });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createServerAs(api: ApiClient, owner: TestUser, name = "Test server"): Promise<Server> {
  const res = await api.post<Server>("/api/v1/servers", { name }, owner.token);
  if (res.status !== 201) throw new Error(`create server failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Makes `user` a member of `server` through an invite created by `inviter`. */
export async function joinServer(api: ApiClient, server: Server, inviter: TestUser, user: TestUser): Promise<void> {
  const invite = await api.post<{ code: string }>(`/api/v1/servers/${server.id}/invites`, {}, inviter.token);
  const joined = await api.post(`/api/v1/invites/${invite.body.code}`, {}, user.token);
  if (joined.status !== 200) throw new Error(`join failed: ${joined.status} ${JSON.stringify(joined.body)}`);
}
