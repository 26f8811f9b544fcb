import type { NextConfig } from "next";
import { assetPrefixFor } from "./lib/config/asset-prefix";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Type errors are caught by `npm run typecheck`, which the test command runs first.
  typescript: { ignoreBuildErrors: true },
  // Native and server-only packages stay outside the bundle of route handlers.
  serverExternalPackages: ["@node-rs/argon2", "@electric-sql/pglite", "pg", "pino", "socket.io"],
};

// CDN_URL (build time): hashed /_next/static files load from the CDN; pages, the manifest and
// sw.js are always served by Parley itself.
export default function config(phase: string): NextConfig {
  return { ...nextConfig, assetPrefix: assetPrefixFor(phase) };
}
