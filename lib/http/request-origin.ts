// The origin a client addressed Parley by, where PUBLIC_URL does not say it: the Host header
// over plain http, since without PUBLIC_URL the server is reached directly (behind a proxy
// that terminates TLS, PUBLIC_URL is required; docs/security.md).

export function requestOrigin(host: string | null | undefined, publicUrl?: string): string {
  if (publicUrl) return new URL(publicUrl).origin;
  return `http://${host?.trim() || "localhost"}`;
}
