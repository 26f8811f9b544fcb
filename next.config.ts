import type { NextConfig } from "next";
import { cdnAssetPrefix } from "./lib/config/env";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Type errors are caught by `npm run typecheck`, which the test command runs first.
  typescript: { ignoreBuildErrors: true },
  // Native and server-only packages stay outside the bundle of route handlers.
  serverExternalPackages: ["@node-rs/argon2", "@electric-sql/pglite", "pg", "pino", "socket.io"],
  // CDN_URL: hashed /_next/static files load from the CDN; pages, the manifest and sw.js stay here.
  assetPrefix: cdnAssetPrefix(),
};

export default nextConfig;
