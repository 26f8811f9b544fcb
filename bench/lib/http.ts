// A small keep-alive JSON client over node:http: cheaper per request than fetch, so the load
// clients spend their CPU on load rather than on themselves.
import http from "node:http";

export interface JsonResponse<T = any> {
  status: number;
  body: T;
  retryAfter?: string;
}

export class JsonClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(baseUrl: string, maxSockets = 32) {
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /**
   * One request; retried once when a kept-alive socket turns out to have been closed by the
   * server in the meantime (ECONNRESET on a reused socket, the race Node's docs describe).
   * Every write the benchmark makes carries a nonce or is otherwise safe to repeat.
   */
  async request<T = any>(method: string, path: string, body?: unknown, token?: string, timeoutMs = 30_000): Promise<JsonResponse<T>> {
    try {
      return await this.once<T>(method, path, body, token, timeoutMs);
    } catch (err) {
      if ((err as { reusedSocket?: boolean }).reusedSocket && (err as NodeJS.ErrnoException).code === "ECONNRESET") {
        return this.once<T>(method, path, body, token, timeoutMs);
      }
      throw err;
    }
  }

  private once<T>(method: string, path: string, body: unknown, token: string | undefined, timeoutMs: number): Promise<JsonResponse<T>> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string> = {};
      if (payload !== undefined) {
        headers["content-type"] = "application/json";
        headers["content-length"] = String(Buffer.byteLength(payload));
      }
      if (token) headers.authorization = `Bearer ${token}`;
      const req = http.request(
        { agent: this.agent, hostname: this.base.hostname, port: this.base.port, method, path, headers, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              /* keep the text for the error message */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T, retryAfter: res.headers["retry-after"] as string | undefined });
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
      req.on("error", (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.end(payload);
    });
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>("GET", path, undefined, token);
  }

  post<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>("POST", path, body, token);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; fails on the first error. */
export async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const lane = async () => {
    while (failed === undefined && next < count) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  if (failed !== undefined) throw failed;
}
