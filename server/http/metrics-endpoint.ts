// GET /metrics: Prometheus text format, for the operator only (issue 12: it was public). With
// METRICS_TOKEN set, a scraper sends it as a bearer token, from anywhere; without, only a
// direct connection from this machine is answered (a request a local reverse proxy forwarded
// carries X-Forwarded-For and is refused, so a public nginx in front does not expose it).
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gatewayMetrics } from "../metrics";

export async function serveMetrics(req: IncomingMessage, res: ServerResponse, token: string | undefined): Promise<void> {
  if (!mayScrape(req, token)) {
    res.writeHead(token ? 401 : 403, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: token ? { code: "UNAUTHORIZED", message: "Send METRICS_TOKEN as a bearer token." } : { code: "FORBIDDEN", message: "Metrics are served to this machine only (or set METRICS_TOKEN)." } }));
    return;
  }
  const { registry } = gatewayMetrics();
  res.writeHead(200, { "content-type": registry.contentType });
  res.end(await registry.metrics());
}

function mayScrape(req: IncomingMessage, token: string | undefined): boolean {
  if (token) return sameSecret(/^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1] ?? "", token);
  return isLoopback(req.socket.remoteAddress) && req.headers["x-forwarded-for"] === undefined && req.headers.forwarded === undefined;
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}

function sameSecret(given: string, expected: string): boolean {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}
