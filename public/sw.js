// Parley's service worker, written by hand (no build step, no library). What it does:
// - precaches the app shell: the offline page with the styles and scripts it needs, the
//   manifest and the icons;
// - serves hashed static assets (/_next/static/*, from the app or a CDN) cache-first: their
//   names change whenever their content does, so a cached copy is never stale;
// - lets page navigations go to the network, and shows the offline page when that fails;
// - never touches the API, the gateway or auth: live data is always network-only.
// It is served from the app's own origin with `Cache-Control: no-cache`, so browsers pick up
// a new version on the next visit.

const VERSION = "v1";
const SHELL_CACHE = `parley-shell-${VERSION}`;
const STATIC_CACHE = `parley-static-${VERSION}`;
const OFFLINE_URL = "/offline";
const SHELL_URLS = [OFFLINE_URL, "/manifest.webmanifest", "/icon.svg", "/icons/icon-192.png", "/icons/icon-512.png"];
const MAX_STATIC_ENTRIES = 400;
/** After a deploy the offline page references new chunks: refresh it now and then. */
const SHELL_REFRESH_MS = 10 * 60 * 1000;
let shellRefreshedAt = 0;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      await cacheShell();
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, STATIC_CACHE]);
      for (const name of await caches.keys()) if (name.startsWith("parley-") && !keep.has(name)) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const sameOrigin = url.origin === self.location.origin;
  // Network-only, not even looked at: REST, auth, the Socket.IO gateway, metrics.
  if (sameOrigin && (url.pathname.startsWith("/api/") || url.pathname.startsWith("/gateway") || url.pathname === "/metrics")) return;
  if (url.pathname.includes("/_next/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageOrOffline(event));
  } else if (sameOrigin && SHELL_URLS.includes(url.pathname)) {
    event.respondWith(networkFirst(request));
  }
});

async function cacheShell() {
  const cache = await caches.open(SHELL_CACHE);
  await cache.addAll(SHELL_URLS.map((url) => new Request(url, { cache: "reload" })));
  await precacheAssetsOf(OFFLINE_URL);
  shellRefreshedAt = Date.now();
}

/** Caches the /_next/static files a cached page refers to, so it renders fully offline. */
async function precacheAssetsOf(path) {
  const page = await (await caches.open(SHELL_CACHE)).match(path);
  if (!page) return;
  const html = await page.text();
  // Script and style URLs appear in tags and, escaped, in the inline React payload.
  const found = html.match(/[^"'\s()<>,\\]*\/_next\/static\/[^"'\s()<>,\\]+/g) || [];
  const urls = new Set(found.map((raw) => new URL(raw.replace(/&amp;/g, "&"), self.location.origin).href));
  const statics = await caches.open(STATIC_CACHE);
  await Promise.all([...urls].map((url) => fetchIntoCache(statics, new Request(url, requestModeFor(url)))));
}

function requestModeFor(url) {
  // Assets on a CDN are fetched like the page's own <script> tags fetch them: no CORS needed.
  return new URL(url).origin === self.location.origin ? {} : { mode: "no-cors" };
}

async function fetchIntoCache(cache, request) {
  try {
    if (await cache.match(request)) return;
    const response = await fetch(request);
    if (response.ok || response.type === "opaque") await cache.put(request, response);
  } catch {
    // Offline or refused: it is fetched again the next time the page asks for it.
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok || response.type === "opaque") {
    await cache.put(request, response.clone());
    void trim(cache);
  }
  return response;
}

async function pageOrOffline(event) {
  try {
    const response = await fetch(event.request);
    if (Date.now() - shellRefreshedAt > SHELL_REFRESH_MS) event.waitUntil(cacheShell().catch(() => {}));
    return response;
  } catch {
    const offline = await (await caches.open(SHELL_CACHE)).match(OFFLINE_URL);
    return offline || new Response("You are offline.", { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch {
    const cached = await (await caches.open(SHELL_CACHE)).match(request);
    if (cached) return cached;
    throw new Error("offline and not cached");
  }
}

/** Keeps the static cache bounded: the oldest entries (from older deploys) go first. */
async function trim(cache) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_STATIC_ENTRIES))) await cache.delete(key);
}
