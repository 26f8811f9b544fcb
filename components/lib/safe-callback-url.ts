// callbackUrl comes from the address bar: only follow paths on this site, never "//evil.com",
// "https://evil.com" or "/\t/evil.com" (browsers drop tabs and newlines from URLs, which makes
// it "//evil.com"). The URL parser reads it the way the browser will, and only a path on the
// same origin is kept.

export const DEFAULT_AFTER_LOGIN = "/channels";

const HERE = "http://parley.invalid";

export function safeCallbackUrl(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/")) return DEFAULT_AFTER_LOGIN;
  let url: URL;
  try {
    url = new URL(raw, HERE);
  } catch {
    return DEFAULT_AFTER_LOGIN;
  }
  if (url.origin !== HERE || url.pathname.startsWith("//")) return DEFAULT_AFTER_LOGIN;
  return `${url.pathname}${url.search}${url.hash}`;
}
