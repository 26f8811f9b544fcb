// Raw HTTP for the fuzz: any method, path, headers and body bytes (GET with a body too), no
// redirects followed, a bound on every request.
import http from "node:http";
import type { RawAnswer } from "./answers";

export interface RawRequest {
  method: string;
  /** Path and query as they go on the wire (already encoded, broken encoding included). */
  path: string;
  token?: string;
  body?: Uint8Array;
  contentType?: string;
}

export function send(baseUrl: string, request: RawRequest, timeoutMs = 15_000): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const headers: Record<string, string> = {};
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) {
    if (request.contentType) headers["content-type"] = request.contentType;
    headers["content-length"] = String(request.body.byteLength);
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: request.method, path: request.path, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders.set(name, [value].flat().join(", "));
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, text: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms: ${request.method} ${request.path.slice(0, 200)}`)));
    req.on("error", reject);
    req.end(request.body === undefined ? undefined : Buffer.from(request.body));
  });
}
