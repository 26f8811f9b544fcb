#!/usr/bin/env node
// npm test: type-check, build when sources changed, then run every test tier whose
// prerequisites are present, saying clearly which tiers are skipped and why.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ensureDeps } from "./ensure-deps.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
ensureDeps(root);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });
const extraArgs = process.argv.slice(2);

function notice(message) {
  console.log(`\x1b[33m[parley test] ${message}\x1b[0m`);
}

const tiers = [
  ["unit, contract (PGlite and in-memory), integration (PGlite), gateway", true, ""],
  [
    `fuzz (tests/fuzz: hostile input at every REST route and gateway event; FUZZ_SEED=${process.env.FUZZ_SEED || "default"}, FUZZ_RUNS=${process.env.FUZZ_RUNS || "default"})`,
    true,
    "",
  ],
  ["PostgreSQL contract tier", Boolean(process.env.DATABASE_URL), "DATABASE_URL is not set"],
  [
    "Cassandra tier (contract, REST and gateway, Cassandra stopped mid-test)",
    Boolean(process.env.CASSANDRA_CONTACT_POINTS?.trim()),
    "CASSANDRA_CONTACT_POINTS is not set (start a node with: node scripts/cassandra.mjs start)",
  ],
  ["Redis contract tier (presence, rate limiter, idempotency)", Boolean(process.env.REDIS_URL), "REDIS_URL is not set"],
  [
    "Redis multi-node tier (EventBus over Redis, api + gateway processes)",
    Boolean(process.env.REDIS_URL && process.env.DATABASE_URL),
    [!process.env.REDIS_URL && "REDIS_URL is not set", !process.env.DATABASE_URL && "DATABASE_URL is not set"].filter(Boolean).join(" and "),
  ],
  [
    "multi-node tier behind nginx (each node on a port of its own, the contract-exact layout of docs/deploy/nginx.conf)",
    existsSync("/usr/sbin/nginx"),
    "/usr/sbin/nginx is not installed (apt-get install nginx): multi-node tests reach node ports directly",
  ],
  [
    "Redis failure tier (a private redis-server stopped and restarted under running nodes)",
    Boolean(process.env.REDIS_URL && process.env.DATABASE_URL) && spawnSync("redis-server", ["--version"]).status === 0,
    "it needs REDIS_URL, DATABASE_URL and the redis-server binary (apt-get install redis-server)",
  ],
  ["end-to-end in Chromium", existsSync("/usr/bin/chromium"), "/usr/bin/chromium is not installed (apt-get install chromium)"],
];
for (const [name, present, why] of tiers) {
  if (present) console.log(`[parley test] running: ${name}`);
  else notice(`SKIPPING ${name}: ${why}`);
}
if (process.env.CI && tiers.some(([, present]) => !present)) {
  console.error("[parley test] CI must run every tier; .ci/run should have provided the prerequisites.");
  process.exit(1);
}

console.log("[parley test] type-checking…");
run("npx", ["tsc", "--noEmit", "-p", "."]);
run(process.execPath, [path.join(root, "scripts", "ensure-build.mjs")]);

mkdirSync(path.join(root, "tests", "artifacts"), { recursive: true });
const report = path.join(root, "tests", "artifacts", "vitest.json");
const result = spawnSync("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extraArgs], {
  cwd: root,
  stdio: "inherit",
});

// A plain closing line that any CI can read.
if (existsSync(report)) {
  const { numPassedTests = 0, numFailedTests = 0, numPendingTests = 0, numTodoTests = 0 } = JSON.parse(readFileSync(report, "utf8"));
  console.log(`${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`);
}
process.exit(result.status ?? 1);
