import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    pool: "forks",
    // Two cores: each integration file starts a whole server, so keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    // Suites register hundreds of users from 127.0.0.1: raised through the documented variable
    // (docs/api.md, "Abuse limits"); tests/integration/sign-in-limits.test.ts checks the limit itself.
    env: { REGISTER_PER_IP_PER_HOUR: "1000000" },
  },
});
