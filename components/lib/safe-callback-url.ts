// callbackUrl comes from the address bar: only follow same-site paths, never "//evil.com"
// or "https://evil.com", so a crafted login link cannot bounce users off-site.

export const DEFAULT_AFTER_LOGIN = "/channels";

export function safeCallbackUrl(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) {
    return DEFAULT_AFTER_LOGIN;
  }
  return raw;
}
