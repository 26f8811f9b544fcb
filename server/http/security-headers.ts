// The headers every response carries (contract v2, "Abuse limits and browser security").
// Pages get a Content-Security-Policy whose scripts must bear a nonce made for that one
// response: an injected <script> or inline handler cannot guess it, so a stored XSS stays
// inert. Next reads the nonce from the request's own Content-Security-Policy header and puts it
// on every script it renders; the root layout reads it from NONCE_HEADER for the theme script.
// Both request headers are set here, over anything the client sent.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { NONCE_HEADER } from "../../lib/http/nonce";

export interface SecurityHeaderOptions {
  /** Origin of the CDN that serves /_next/static (the build's asset prefix), if any. */
  assetOrigin?: string;
  /** HSTS is only meaningful, and only sent, when Parley is reached over https. */
  https: boolean;
  /** `next dev` evaluates code in the page (React refresh): it needs 'unsafe-eval'. */
  dev: boolean;
}

/** For JSON, health and metrics: nothing in them may run, load or be framed. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The page policy for one nonce. Styles may be inline (React style attributes); scripts never. */
export function pagePolicy(nonce: string, options: SecurityHeaderOptions): string {
  const assets = options.assetOrigin ? ` ${options.assetOrigin}` : "";
  const directives = [
    "default-src 'self'",
    // 'strict-dynamic': scripts a nonce'd script loads (Next's chunks) run too; 'self' and the
    // CDN are the fallback of browsers that predate it.
    `script-src 'self'${assets} 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self'${assets} 'unsafe-inline'`,
    `img-src 'self'${assets} data: blob:`,
    `font-src 'self'${assets} data:`,
    // The gateway is this origin's /gateway, over WebSocket.
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}

function commonHeaders(res: ServerResponse, options: SecurityHeaderOptions): void {
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "strict-origin-when-cross-origin");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("cross-origin-opener-policy", "same-origin");
  res.setHeader("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
  if (options.https) res.setHeader("strict-transport-security", "max-age=31536000; includeSubDomains");
}

/** For responses Parley writes itself (REST fast paths, health, metrics, errors). */
export function applyApiSecurityHeaders(res: ServerResponse, options: SecurityHeaderOptions): void {
  commonHeaders(res, options);
  res.setHeader("content-security-policy", API_POLICY);
}

/** For requests handed to Next: a fresh nonce, on the request for Next and on the response. */
export function applyPageSecurityHeaders(req: IncomingMessage, res: ServerResponse, options: SecurityHeaderOptions): void {
  const nonce = randomBytes(16).toString("base64");
  const policy = pagePolicy(nonce, options);
  req.headers["content-security-policy"] = policy;
  req.headers[NONCE_HEADER] = nonce;
  delete req.headers["content-security-policy-report-only"];
  commonHeaders(res, options);
  res.setHeader("content-security-policy", policy);
}
