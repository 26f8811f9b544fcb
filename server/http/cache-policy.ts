// Cache-Control for what a CDN or browser may keep. Hashed build assets are immutable; pages
// (HTML and the React payloads of client navigations), the manifest and the service worker
// must be revalidated on every use, or a deploy would leave people on stale code. Next sets
// its own headers (it marks prerendered pages cacheable for a year at shared caches): this
// rewrites them just before they are sent.
import type { ServerResponse } from "node:http";

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const REVALIDATE = "no-cache";

const ALWAYS_FRESH = new Set(["/sw.js", "/manifest.webmanifest"]);

/** The policy for a response, from its path, status and content type; undefined keeps Next's. */
export function cacheControlFor(path: string, status: number, contentType: string | undefined): string | undefined {
  if (path.startsWith("/_next/static/")) return status === 200 ? IMMUTABLE : undefined;
  if (ALWAYS_FRESH.has(path)) return REVALIDATE;
  if (contentType && /^text\/(html|x-component)\b/i.test(contentType)) return REVALIDATE;
  return undefined;
}

export function applyCachePolicy(path: string, res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    // writeHead(status, [message], [headers]): headers given here win over setHeader ones.
    const given = args.find((a): a is Record<string, unknown> => typeof a === "object" && a !== null && !Array.isArray(a));
    const givenName = (wanted: string) => Object.keys(given ?? {}).find((k) => k.toLowerCase() === wanted);
    const typeName = givenName("content-type");
    const contentType = typeName ? given![typeName] : this.getHeader("content-type");
    const policy = cacheControlFor(path, (args[0] as number) ?? this.statusCode, typeof contentType === "string" ? contentType : undefined);
    if (policy) {
      this.setHeader("cache-control", policy);
      const cacheName = givenName("cache-control");
      if (cacheName) given![cacheName] = policy;
    }
    return writeHead.apply(this, args as Parameters<ServerResponse["writeHead"]>);
  } as ServerResponse["writeHead"];
}
