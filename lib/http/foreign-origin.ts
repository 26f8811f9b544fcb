// Cross-site request forgery and cross-site WebSocket hijacking: a browser attaches the session
// cookie to requests that another site starts (SameSite=Lax still sends it from a sibling
// subdomain, and to top-level GETs). Browsers say where a request comes from (`Origin`,
// `Sec-Fetch-Site`); a request authenticated by the cookie is refused when they name anything
// but Parley itself (contract v2). Requests without either header (non-browser clients) pass:
// they cannot carry a victim's cookie. Bearer tokens are never sent by a browser on its own,
// so they are not checked.

/** What a request says about where it comes from. */
export interface RequestSource {
  origin?: string | null;
  secFetchSite?: string | null;
  /** The Host header: Parley's own origin when PUBLIC_URL does not say it. */
  host?: string | null;
}

export function comesFromForeignSite(request: RequestSource, publicUrl?: string): boolean {
  const site = request.secFetchSite?.trim().toLowerCase();
  if (site === "cross-site" || site === "same-site") return true;
  const origin = request.origin?.trim();
  if (!origin) return false;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return true; // "null" (sandboxed frames, file://) and anything unreadable
  }
  if (publicUrl) return from.origin !== new URL(publicUrl).origin;
  return from.host !== request.host?.trim().toLowerCase();
}
