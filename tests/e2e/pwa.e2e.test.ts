// Parley as an installable app: Chromium finds no installability error, the manifest parses
// with its icons, the service worker shows the offline page when the network is gone (and
// never caches live data), and caching headers suit a CDN in front.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type ParleyServer } from "../support/server";
import { CHROMIUM, WAIT } from "./helpers";

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] SKIPPING tests/e2e/pwa.e2e.test.ts: ${CHROMIUM} is not installed.`);

let server: ParleyServer | undefined;
let profile: string;
let context: BrowserContext | undefined;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe.skipIf(!hasChromium)("installable app", () => {
  beforeAll(async () => {
    server = await startServer();
    // A persistent profile: Chromium never offers to install from an incognito-like context.
    profile = mkdtempSync(path.join(os.tmpdir(), "parley-e2e-pwa-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      baseURL: server.url,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await server?.close();
    rmSync(profile, { recursive: true, force: true });
  }, 60_000);

  test("the manifest parses, its icons are the PNG sizes it claims, and Chromium reports no installability errors", async () => {
    const manifest = await fetch(`${server!.url}/manifest.webmanifest`);
    expect(manifest.headers.get("content-type")).toContain("manifest+json");
    const data = await manifest.json();
    expect(data).toMatchObject({ name: "Parley", short_name: "Parley", start_url: "/channels", display: "standalone" });
    expect(data.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(data.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    const purposes = new Set<string>();
    for (const icon of data.icons as Array<{ src: string; sizes: string; type: string; purpose: string }>) {
      const res = await fetch(new URL(icon.src, server!.url));
      expect(res.headers.get("content-type")).toBe("image/png");
      const { width, height } = pngSize(Buffer.from(await res.arrayBuffer()));
      expect(`${width}x${height}`).toBe(icon.sizes);
      purposes.add(`${icon.sizes} ${icon.purpose}`);
    }
    expect([...purposes].sort()).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);

    const page = await context!.newPage();
    await page.goto("/login");
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await context!.newCDPSession(page);
    const app = await cdp.send("Page.getAppManifest");
    expect(app.errors).toEqual([]);
    expect(app.url).toBe(`${server!.url}/manifest.webmanifest`);
    expect(JSON.parse(app.data!).name).toBe("Parley");
    await expect.poll(async () => (await cdp.send("Page.getInstallabilityErrors")).installabilityErrors, WAIT).toEqual([]);
    await page.close();
  }, 60_000);

  test("with the network cut after the first visit, a reload shows the offline page; back online, the page returns", async () => {
    const page = await context!.newPage();
    await page.goto("/login");
    await page.getByTestId("login-username").waitFor(WAIT);
    // The worker is active and has the offline page (with its styles) in its cache.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(async () => !!(await caches.match("/offline"))), WAIT).toBe(true);

    await context!.setOffline(true);
    await page.reload();
    await page.getByTestId("offline-page").waitFor(WAIT);
    expect(await page.title()).toBe("Offline · Parley");
    expect(page.url()).toBe(`${server!.url}/login`);
    // Styled, not a bare page: the stylesheet came from the cache.
    expect(await page.getByTestId("offline-retry").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(88, 101, 242)");
    // Any page, even one never visited.
    await page.goto("/channels/123/456").catch(() => {});
    await page.getByTestId("offline-page").waitFor(WAIT);

    // The network returns: the offline page reloads itself into the page that was asked for.
    await context!.setOffline(false);
    await page.waitForURL((url) => url.pathname !== "/offline", WAIT);
    await page.getByTestId("offline-page").waitFor({ state: "detached", ...WAIT });

    // Live data never lands in a cache.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      return urls;
    });
    expect(cached.length).toBeGreaterThan(3);
    expect(cached.filter((u) => /\/api\/|\/gateway/.test(u))).toEqual([]);
    await page.close();
  }, 90_000);

  test("hashed assets are cached for a year; pages, the manifest and the service worker are revalidated", async () => {
    const html = await fetch(`${server!.url}/login`);
    expect(html.headers.get("cache-control")).toBe("no-cache");
    const asset = /(?:src|href)="(\/_next\/static\/[^"]+)"/.exec(await html.text())?.[1];
    expect(asset).toBeDefined();
    const assetResponse = await fetch(`${server!.url}${asset}`);
    expect(assetResponse.status).toBe(200);
    expect(assetResponse.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    for (const file of ["/sw.js", "/manifest.webmanifest", "/offline", "/channels"]) {
      expect([file, (await fetch(`${server!.url}${file}`)).headers.get("cache-control")]).toEqual([file, "no-cache"]);
    }
  });
});
