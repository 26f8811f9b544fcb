import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Type errors are caught by `npm run typecheck`, which the test command runs first.
  typescript: { ignoreBuildErrors: true },
  // Native and server-only packages stay outside the bundle of route handlers.
  serverExternalPackages: ["@node-rs/argon2", "@electric-sql/pglite", "pg", "pino", "socket.io"],
};

export default nextConfig;
