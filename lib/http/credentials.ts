// Where a request's credentials are: the Authorization header, else the next-auth session cookie.

export const SESSION_COOKIE = "next-auth.session-token";
export const SECURE_SESSION_COOKIE = "__Secure-next-auth.session-token";

export function parseCookies(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      out[name] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

/** The token a request carries, or undefined. A malformed Authorization header counts as none. */
export function tokenFrom(headers: { authorization?: string | null; cookie?: string | null }): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return match?.[1] ?? "";
  }
  const cookies = parseCookies(headers.cookie);
  return cookies[SECURE_SESSION_COOKIE] ?? cookies[SESSION_COOKIE];
}
