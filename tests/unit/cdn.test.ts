// CDN readiness: CDN_URL becomes the build's asset prefix (and the server keeps the build's),
// and each kind of response gets the caching a CDN in front needs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { assetPrefixFor } from "../../lib/config/asset-prefix";
import { cdnAssetPrefix } from "../../lib/config/env";
import { IMMUTABLE, REVALIDATE, cacheControlFor } from "../../server/http/cache-policy";
import { pagePolicy } from "../../server/http/security-headers";

describe("CDN_URL", () => {
  test("is optional, trimmed of trailing slashes, and must be an absolute http(s) URL", () => {
    expect(cdnAssetPrefix({})).toBeUndefined();
    expect(cdnAssetPrefix({ CDN_URL: "  " })).toBeUndefined();
    expect(cdnAssetPrefix({ CDN_URL: "https://cdn.example.com/" })).toBe("https://cdn.example.com");
    expect(cdnAssetPrefix({ CDN_URL: "https://d1234.cloudfront.net/parley//" })).toBe("https://d1234.cloudfront.net/parley");
    for (const bad of ["cdn.example.com", "/static", "ftp://cdn.example.com", "https://"]) {
      expect(() => cdnAssetPrefix({ CDN_URL: bad }), bad).toThrow(/CDN_URL/);
    }
  });

  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  function builtWith(prefix: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), "parley-prefix-"));
    dirs.push(dir);
    mkdirSync(path.join(dir, ".next"));
    writeFileSync(path.join(dir, ".next", "required-server-files.json"), JSON.stringify({ config: { assetPrefix: prefix } }));
    return dir;
  }

  test("a build takes it from the environment; a starting server keeps the one the build used", () => {
    const previous = process.env.CDN_URL;
    process.env.CDN_URL = "https://cdn.example.com";
    try {
      expect(assetPrefixFor("phase-production-build")).toBe("https://cdn.example.com");
      expect(assetPrefixFor("phase-production-server", builtWith(""))).toBeUndefined();
      process.env.CDN_URL = "";
      expect(assetPrefixFor("phase-production-server", builtWith("https://old-cdn.example.com"))).toBe("https://old-cdn.example.com");
    } finally {
      if (previous === undefined) delete process.env.CDN_URL;
      else process.env.CDN_URL = previous;
    }
  });
});

describe("cache policy", () => {
  test.each([
    ["/_next/static/chunks/abc123.js", 200, "application/javascript", IMMUTABLE],
    ["/_next/static/chunks/missing.js", 404, "text/html", undefined],
    ["/sw.js", 200, "application/javascript", REVALIDATE],
    ["/manifest.webmanifest", 200, "application/manifest+json", REVALIDATE],
    ["/channels/1/2", 200, "text/html; charset=utf-8", REVALIDATE],
    ["/channels/1/2", 200, "text/x-component", REVALIDATE],
    ["/icons/icon-192.png", 200, "image/png", undefined],
    ["/api/v1/servers", 200, "application/json", undefined],
  ])("%s (%i, %s) -> %s", (file, status, type, expected) => {
    expect(cacheControlFor(file, status, type)).toBe(expected);
  });
});

describe("content security policy", () => {
  const directive = (policy: string, name: string) => policy.split("; ").find((d) => d.startsWith(`${name} `)) ?? "";

  test("with a CDN, its origin may serve scripts, styles, fonts and images, and nothing else", () => {
    const policy = pagePolicy("bm9uY2U=", { assetOrigin: "https://cdn.example.com", https: true, dev: false });
    for (const name of ["script-src", "style-src", "font-src", "img-src"]) expect(directive(policy, name), name).toContain("https://cdn.example.com");
    for (const name of ["connect-src", "default-src", "frame-ancestors"]) expect(directive(policy, name), name).not.toContain("cdn.example.com");
    expect(directive(policy, "script-src")).toBe("script-src 'self' https://cdn.example.com 'nonce-bm9uY2U=' 'strict-dynamic'");
  });

  test("without one, assets come from Parley itself; only next dev may evaluate code", () => {
    expect(directive(pagePolicy("bm9uY2U=", { https: false, dev: false }), "script-src")).toBe("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
    expect(directive(pagePolicy("bm9uY2U=", { https: false, dev: true }), "script-src")).toContain("'unsafe-eval'");
  });
});
