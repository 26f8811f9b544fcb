// Browser security headers (contract v2): pages run under a Content-Security-Policy whose
// scripts need this response's nonce (no 'unsafe-inline'), cannot be framed, are not
// content-sniffed and leak no full URL as a referrer; JSON answers forbid everything. And
// next-auth's routes hold bodies to the REST limit (16 KiB) like every other route.
// Real servers on port 0, the production build.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type ParleyServer } from "../support/server";

const directives = (policy: string) => new Map(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
const scriptTags = (html: string) => html.match(/<script\b[^>]*>/g) ?? [];

describe("on http", () => {
  let server: ParleyServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  test("a page's scripts run only by this response's nonce, and it cannot be framed or sniffed", async () => {
    const res = await fetch(`${server.url}/login`);
    expect(res.status).toBe(200);
    const policy = directives(res.headers.get("content-security-policy") ?? "");
    const scriptSrc = policy.get("script-src") ?? [];
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    const nonce = scriptSrc.find((s) => s.startsWith("'nonce-"))?.slice("'nonce-".length, -1);
    expect(nonce, "a nonce in script-src").toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("strict-transport-security"), "no HSTS over plain http").toBeNull();

    const html = await res.text();
    const scripts = scriptTags(html);
    expect(scripts.length, "the theme script and Next's own").toBeGreaterThan(2);
    for (const tag of scripts) expect(tag, "every script carries the nonce").toContain(`nonce="${nonce}"`);
  });

  test("every response gets a nonce of its own, and a nonce the client sends is ignored", async () => {
    const chosen = "AAAAAAAAAAAAAAAAAAAAAA==";
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${server.url}/register`, { headers: { "content-security-policy": `script-src 'nonce-${chosen}'`, "x-parley-nonce": chosen } });
      const html = await res.text();
      expect(html).not.toContain(chosen);
      expect(res.headers.get("content-security-policy")).not.toContain(chosen);
      nonces.add(/'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1] ?? "");
    }
    expect(nonces.size).toBe(3);
  });

  test("JSON answers, health and metrics allow nothing to run, load or frame them", async () => {
    for (const path of ["/api/v1/users/@me", "/api/v1/channels/1/messages", "/api/health", "/metrics", "/api/auth/csrf"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get("content-security-policy"), path).toContain("default-src 'none'");
      expect(res.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      await res.arrayBuffer();
    }
  });

  test("next-auth refuses a declared body over 16 KiB with the contract's 413", async () => {
    const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `username=a&password=${"x".repeat(17 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  test("next-auth answers a streamed 40 MiB body with 413 after reading little of it", async () => {
    const { status, body, sentBytes } = await streamBody(`${server.url}/api/auth/callback/credentials`, 40 * 1024 * 1024);
    expect(status).toBe(413);
    expect(JSON.parse(body).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(sentBytes, "the answer came long before the body was sent").toBeLessThan(20 * 1024 * 1024);
  });

  test("a small next-auth request still works (its CSRF token)", async () => {
    const res = await fetch(`${server.url}/api/auth/csrf`);
    expect(res.status).toBe(200);
    expect((await res.json()).csrfToken).toMatch(/\w{16,}/);
  });
});

describe("on https (PUBLIC_URL)", () => {
  let server: ParleyServer;
  beforeAll(async () => {
    server = await startServer({ publicUrl: "https://parley.example" });
  });
  afterAll(() => server?.close());

  test("browsers are told to keep to https (HSTS)", async () => {
    const res = await fetch(`${server.url}/login`);
    expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    await res.arrayBuffer();
  });
});

/** POSTs up to `limit` bytes chunked (no Content-Length), stopping as soon as an answer arrives. */
function streamBody(url: string, limit: number): Promise<{ status: number; body: string; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let answered = false;
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" } }, (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sentBytes });
      });
    });
    req.on("error", (err) => (answered ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, "x");
    const pump = () => {
      while (!answered && sentBytes < limit) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}
