// GET /metrics is the operator's (issue 12): without METRICS_TOKEN only a direct connection from
// this machine is answered; with it, only a scraper that sends it. Real servers on port 0.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type ParleyServer } from "../support/server";

const TOKEN = "scrape-token-0123456789abcdef";

describe("without METRICS_TOKEN", () => {
  let server: ParleyServer;
  beforeAll(async () => {
    server = await startServer({ metricsToken: undefined });
  });
  afterAll(() => server?.close());

  test("a direct request from this machine gets the metrics", async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("parley_");
  });

  test("a request a local proxy forwarded (X-Forwarded-For or Forwarded) is refused", async () => {
    const forwardedHeaders: Record<string, string>[] = [{ "x-forwarded-for": "198.51.100.7" }, { forwarded: "for=198.51.100.7" }];
    for (const headers of forwardedHeaders) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      expect(res.status).toBe(403);
      const body = await res.json();
      expect(body.error.code).toBe("FORBIDDEN");
    }
  });
});

describe("with METRICS_TOKEN", () => {
  let server: ParleyServer;
  beforeAll(async () => {
    server = await startServer({ metricsToken: TOKEN });
  });
  afterAll(() => server?.close());

  test("only a request bearing the token gets the metrics", async () => {
    for (const authorization of [undefined, "Bearer wrong-token-of-the-same-size!", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status, authorization).toBe(401);
      expect((await res.json()).error.code).toBe("UNAUTHORIZED");
    }
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}`, "x-forwarded-for": "198.51.100.7" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("parley_");
  });
});
