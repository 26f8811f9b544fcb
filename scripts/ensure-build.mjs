#!/usr/bin/env node
// Builds Parley (Next app + bundled custom server) only when its sources changed since the
// last build. Safe to run from several processes at once: a lock file serializes builds.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const INPUTS = ["app", "components", "lib", "server", "public", "drizzle", "next.config.ts", "package-lock.json", "tsconfig.json"];
const STAMP = path.join(root, ".next", "parley-build-stamp");
const LOCK = path.join(root, ".parley-build.lock");

function hashInputs() {
  const hash = createHash("sha256");
  const walk = (p) => {
    const full = path.join(root, p);
    if (!existsSync(full)) return;
    const st = statSync(full);
    if (st.isDirectory()) {
      for (const name of readdirSync(full).sort()) walk(path.join(p, name));
    } else {
      hash.update(p).update("\0").update(readFileSync(full)).update("\0");
    }
  };
  for (const input of INPUTS) walk(input);
  // The CDN prefix is baked into the build: a different CDN_URL needs a new build.
  hash.update(`CDN_URL=${process.env.CDN_URL ?? ""}`);
  return hash.digest("hex");
}

function isFresh(digest) {
  return existsSync(STAMP) && readFileSync(STAMP, "utf8") === digest && existsSync(path.join(root, "dist", "server.js"));
}

async function withLock(fn) {
  const deadline = Date.now() + 15 * 60 * 1000;
  for (;;) {
    try {
      closeSync(openSync(LOCK, "wx"));
      break;
    } catch {
      // A lock older than 15 minutes belongs to a build that died.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 15 * 60 * 1000) rmSync(LOCK, { force: true });
      if (Date.now() > deadline) throw new Error("timed out waiting for another build");
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

await withLock(async () => {
  const digest = hashInputs();
  if (isFresh(digest) && !process.argv.includes("--force")) return;
  console.log("[parley] building (sources changed since the last build)…");
  try {
    execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
  } catch {
    console.error("[parley] build failed (see above)");
    process.exit(1);
  }
  writeFileSync(STAMP, digest);
});
