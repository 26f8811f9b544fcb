// The origin a client addressed Parley by, where PUBLIC_URL does not say it: the Host header
// over plain http, since without PUBLIC_URL the server is reached directly (behind a proxy
// that terminates TLS, PUBLIC_URL is required; docs/security.md). A Host that is not a plain
// host[:port] is not echoed back to anyone.
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function requestOrigin(host: string | null | undefined, publicUrl?: string): string {
  if (publicUrl) return new URL(publicUrl).origin;
  const claimed = host?.trim() ?? "";
  return `http://${HOST.test(claimed) ? claimed.toLowerCase() : "localhost"}`;
}
